/**
 * A minimal WebAssembly binary reader for tests: the instructions of each defined function
 * (opcode and immediates, no validation), enough to check what gpu.js's webasm emitter wrote,
 * e.g. that `kernel_simd` reads a unit-stride array with one v128.load.
 */

export interface Instruction {
  /** The opcode; prefixed opcodes as `0xfd:<sub>`, `0xfc:<sub>`, `0xfe:<sub>` (sub in decimal). */
  readonly op: number | string;
  /** The function index of a `call`. */
  readonly callee?: number;
}

export interface WasmCode {
  readonly importedFunctions: number;
  /** Exported functions by name → function index (imports first). */
  readonly exports: ReadonlyMap<string, number>;
  /** The instructions of function index i, for defined functions (undefined for imports). */
  body(index: number): readonly Instruction[];
}

export const V128_LOAD = '0xfd:0';

class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('wasm: unexpected end');
    return this.bytes[this.at++];
  }
  uleb(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }
  sleb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.at += n;
  }
  name(): void {
    this.skip(this.uleb());
  }
}

const MEMARG_PREFIXED_SIMD = (sub: number): boolean => sub <= 0x0b || sub === 0x5c || sub === 0x5d;
const LANE_SIMD = (sub: number): boolean => sub >= 0x15 && sub <= 0x22;
const MEMARG_LANE_SIMD = (sub: number): boolean => sub >= 0x54 && sub <= 0x5b;

function decodeBody(r: Reader, end: number): Instruction[] {
  const out: Instruction[] = [];
  for (let groups = r.uleb(); groups > 0; groups--) {
    r.uleb();
    r.byte();
  }
  while (r.at < end) {
    const op = r.byte();
    if (op === 0x02 || op === 0x03 || op === 0x04) r.byte();
    else if (op === 0x0c || op === 0x0d || (op >= 0x20 && op <= 0x24)) r.uleb();
    else if (op === 0x0e) {
      for (let n = r.uleb() + 1; n > 0; n--) r.uleb();
    } else if (op === 0x10) {
      out.push({ op, callee: r.uleb() });
      continue;
    } else if (op === 0x11) {
      r.uleb();
      r.uleb();
    } else if (op >= 0x28 && op <= 0x3e) {
      r.uleb();
      r.uleb();
    } else if (op === 0x3f || op === 0x40) r.byte();
    else if (op === 0x41 || op === 0x42) r.sleb();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0xfc || op === 0xfd || op === 0xfe) {
      const sub = r.uleb();
      if (op === 0xfd) {
        if (MEMARG_PREFIXED_SIMD(sub)) {
          r.uleb();
          r.uleb();
        } else if (sub === 0x0c || sub === 0x0d) r.skip(16);
        else if (LANE_SIMD(sub)) r.byte();
        else if (MEMARG_LANE_SIMD(sub)) {
          r.uleb();
          r.uleb();
          r.byte();
        }
      } else if (op === 0xfc) {
        if (sub === 8) {
          r.uleb();
          r.byte();
        } else if (sub === 9 || sub === 13 || sub === 15 || sub === 16 || sub === 17) r.uleb();
        else if (sub === 10 || sub === 12 || sub === 14) {
          r.uleb();
          r.uleb();
        } else if (sub === 11) r.byte();
      } else if (sub === 0x03) r.byte();
      else {
        r.uleb();
        r.uleb();
      }
      out.push({ op: `0x${op.toString(16)}:${sub}` });
      continue;
    }
    out.push({ op });
  }
  return out;
}

export function readWasmCode(bytes: Uint8Array): WasmCode {
  const r = new Reader(bytes);
  r.skip(8);
  let importedFunctions = 0;
  const exports = new Map<string, number>();
  const bodies: Instruction[][] = [];
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.uleb();
    const end = r.at + size;
    if (id === 2) {
      for (let n = r.uleb(); n > 0; n--) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) {
          importedFunctions++;
          r.uleb();
        } else if (kind === 2) {
          const flags = r.byte();
          r.uleb();
          if (flags & 1) r.uleb();
        } else if (kind === 3) r.skip(2);
        else {
          r.byte();
          const flags = r.byte();
          r.uleb();
          if (flags & 1) r.uleb();
        }
      }
    } else if (id === 7) {
      for (let n = r.uleb(); n > 0; n--) {
        const len = r.uleb();
        const name = new TextDecoder().decode(bytes.subarray(r.at, r.at + len));
        r.skip(len);
        const kind = r.byte();
        const index = r.uleb();
        if (kind === 0) exports.set(name, index);
      }
    } else if (id === 10) {
      for (let n = r.uleb(); n > 0; n--) {
        const bodySize = r.uleb();
        const bodyEnd = r.at + bodySize;
        bodies.push(decodeBody(r, bodyEnd));
        r.at = bodyEnd;
      }
    }
    r.at = end;
  }
  return { importedFunctions, exports, body: (index) => bodies[index - importedFunctions] };
}

/**
 * The instructions of the functions the exported `run_simd` calls: `kernel_simd` (one quad of
 * 4 cells) and, with our gpu.js patch, `kernel_simd_tile` (several quads) where the kernel allows it.
 */
export function simdKernelBodies(bytes: Uint8Array): (readonly Instruction[])[] {
  const code = readWasmCode(bytes);
  const runSimd = code.exports.get('run_simd');
  if (runSimd === undefined) throw new Error('the module has no run_simd (no SIMD support?)');
  return code.body(runSimd).filter((i) => i.callee !== undefined).map((i) => code.body(i.callee as number));
}
