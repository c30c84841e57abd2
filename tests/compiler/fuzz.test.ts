/**
 * Hostile input (DESIGN §8): seeded mutations of the examples go through
 * loadCellText → compile. Each must come back as a Result (ok, or diagnostics)
 * without throwing, hanging or executing anything, and a program built from a
 * file never prints that file's ids or labels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODES } from '../../nodes';
import { compile, printBackward, printProgram } from '../../src/compiler';
import { IR_LIMITS } from '../../src/compiler/ir';
import { LIMITS } from '../../src/model/cell';
import type { Result } from '../../src/model/diagnostics';
import { loadCell, loadCellText } from '../../src/model/load';
import { addSizes, formatSize, parseSize, type SizeExpr } from '../../src/model/sizes';
import { connect, example, exampleNames, node, type RawCell } from '../fixtures/examples';

declare global {
  var pwned: unknown;
}

// ---------------------------------------------------------------------------
// Seeded randomness (mulberry32)
// ---------------------------------------------------------------------------

class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.next() < p; }
}

// ---------------------------------------------------------------------------
// Hostile material
// ---------------------------------------------------------------------------

/** Strings that would do something if anything evaluated or spliced them into code or HTML. */
const INJECTIONS = [
  'globalThis.pwned = 1',
  '(globalThis.pwned=1)',
  '${globalThis.pwned=1}',
  '`;globalThis.pwned=1;`',
  '"); globalThis.pwned = 1; ("',
  '\'); globalThis.pwned = 1; //',
  '</script><script>globalThis.pwned=1</script>',
  '<img src=x onerror="globalThis.pwned=1">',
  '{{constructor.constructor("globalThis.pwned=1")()}}',
  '\\href{javascript:globalThis.pwned=1}{x}',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  'a"b', 'a`b', "a'b", '\u2028', '\u202egnp.exe', 'a\u0000b', '\u001b[2J', '',
];

/** Values that are valid JSON but wrong for almost any field. */
const WRONG_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, -0.5, 1e9, -1e9, 2 ** 31, 2 ** 53 + 1, Number.MAX_VALUE, 5e-324,
  '', 'x', 'NaN', 'Infinity', '-Infinity', '1e309', '0x10', ' 16', 'hidden', '2*hidden + input', 'hidden*2',
  [], [1], [[]], {}, { a: {} }, { toString: 'x', valueOf: 1 }, { __proto__: null, pwned: 1 },
];

/** Size expressions, legal and not. */
const SIZES: unknown[] = [
  'hidden', 'input', '2*hidden', 'hidden + input', 0, 1, 16, 4096, 65536, 65537, 1e9, 1048576, '1048576',
  '1048576*hidden', '1048576*hidden + 1048576*input', '9999999*hidden', '10000000*hidden',
  'hidden+hidden+hidden+hidden+hidden+hidden+hidden+hidden', 'hidden+hidden+hidden+hidden+hidden+hidden+hidden+hidden+hidden',
  'proj', 'big', '-1', '1.5', 'h'.repeat(121), 'hidden +', '+', '*hidden', 'globalThis.pwned=1', -3, 0.5,
];

const PARAM_NAMES = ['out', 'size', 'init', 'bias', 'biasInit', 'inputs', 'start', 'length', 'value', 'low', 'high', '__proto__', 'constructor', 'p'.repeat(41)];
const PORTS = ['x', 'prev', 'next', 'y', 'in', 'out', 'a', 'b', 'in0', 'in1', 'in2', 'in7', 'in8', '', '__proto__', 'constructor'];
const KINDS = NODES.map((n) => n.kind);

/** Raw JSON text a value can be replaced with after serialising: things JSON.stringify cannot make. */
function rawTexts(rng: Rng): string {
  const depth = rng.pick([10, 1000, 100_000]);
  return rng.pick([
    '1e309', '-1e309', '1e-400', '-0', '123456789012345678901234567890',
    '['.repeat(depth) + ']'.repeat(depth),
    '{"a":'.repeat(Math.min(depth, 50_000)) + '1' + '}'.repeat(Math.min(depth, 50_000)),
  ]);
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

interface Sample {
  cell: RawCell;
  raws: string[];
  rng: Rng;
}

const raw = (s: Sample, text: string): string => {
  s.raws.push(text);
  return `@@RAW${s.raws.length - 1}@@`;
};

type Container = Record<string, unknown> | unknown[];

/** Every object or list in the file, with the keys it holds. */
function containers(root: unknown): Container[] {
  const out: Container[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const v = todo.pop();
    if (typeof v !== 'object' || v === null) continue;
    out.push(v as Container);
    todo.push(...Object.values(v));
  }
  return out;
}

function randomSlot(s: Sample): [Container, string | number] | undefined {
  const candidates = containers(s.cell).filter((c) => Object.keys(c).length > 0);
  if (candidates.length === 0) return undefined;
  const c = s.rng.pick(candidates);
  const keys = Object.keys(c);
  const key = s.rng.pick(keys);
  return [c, Array.isArray(c) ? Number(key) : key];
}

const set = (c: Container, k: string | number, v: unknown): void => {
  (c as Record<string | number, unknown>)[k] = v;
};

function renameNode(cell: RawCell, from: string, to: string, rewire: boolean): void {
  for (const n of cell.nodes) if (n.id === from) n.id = to;
  if (rewire) for (const c of cell.connections) {
    if (c.from === from) c.from = to;
    if (c.to === from) c.to = to;
  }
}

const hostileValue = (s: Sample): unknown => (s.rng.chance(0.2) ? raw(s, rawTexts(s.rng)) : s.rng.pick(WRONG_VALUES));

const MUTATIONS: Record<string, (s: Sample) => void> = {
  deleteField(s) {
    const slot = randomSlot(s);
    if (!slot) return;
    const [c, k] = slot;
    if (Array.isArray(c)) c.splice(k as number, 1);
    else delete c[k as string];
  },
  wrongType(s) {
    const slot = randomSlot(s);
    if (slot) set(slot[0], slot[1], hostileValue(s));
  },
  hostileId(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (n) renameNode(s.cell, n.id, s.rng.pick(INJECTIONS), s.rng.chance(0.7));
  },
  hostileLabel(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (n) n.label = s.rng.chance(0.1) ? 'L'.repeat(s.rng.pick([80, 81, 100_000])) : s.rng.pick(INJECTIONS);
  },
  hostileKind(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (n) n.kind = s.rng.chance(0.5) ? s.rng.pick(INJECTIONS) : s.rng.pick(KINDS);
  },
  hostileText(s) {
    const field = s.rng.pick(['name', 'description', 'author', 'notes']);
    s.cell.metadata[field] = s.rng.chance(0.8) ? s.rng.pick(INJECTIONS) : 'm'.repeat(s.rng.pick([10_001, 1_000_000]));
  },
  hostileParam(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (!n) return;
    const value = s.rng.pick([() => s.rng.pick(SIZES), () => hostileValue(s), () => s.rng.pick(INJECTIONS), () => s.rng.int(10)])();
    if (typeof n.params !== 'object' || n.params === null) n.params = {};
    n.params[s.rng.pick(PARAM_NAMES)] = value;
  },
  nonFinite(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (!n) return;
    const where = s.rng.int(4);
    const bad = raw(s, s.rng.pick(['1e309', '-1e309', '1e400']));
    if (where === 0) n.position = { x: bad as unknown as number, y: 0 };
    else if (where === 1) n.params = { ...n.params, biasInit: bad, value: bad };
    else if (where === 2) s.cell.sizes.hidden = bad;
    else s.cell.sizes.named = { proj: bad };
  },
  hugeSizes(s) {
    const choice = s.rng.int(4);
    if (choice === 0) s.cell.sizes.hidden = s.rng.pick([1e9, 4096, 4097, 0, -1]);
    else if (choice === 1) s.cell.sizes = { input: 4096, hidden: 4096 };
    else if (choice === 2) s.cell.sizes.named = { big: s.rng.pick([1e9, 4096]), proj: 32 };
    else s.cell.sizes.named = Object.fromEntries(Array.from({ length: s.rng.pick([32, 33, 10_000]) }, (_, i) => [`s${i}`, 4096]));
  },
  selfLoop(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (n) connect(s.cell, n.id, s.rng.pick(PORTS), n.id, s.rng.pick(PORTS));
  },
  duplicateNode(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (n) s.cell.nodes.push(s.rng.chance(0.5) ? structuredClone(n) : { ...structuredClone(n), id: `${n.id}_copy` });
  },
  swapPorts(s) {
    const c = s.rng.pick(s.cell.connections);
    if (!c) return;
    if (s.rng.chance(0.5)) [c.from, c.to] = [c.to, c.from];
    else [c.fromPort, c.toPort] = [c.toPort, c.fromPort];
  },
  rewire(s) {
    const c = s.rng.pick(s.cell.connections);
    const n = s.rng.pick(s.cell.nodes);
    if (!c || !n) return;
    const field = s.rng.pick(['from', 'to', 'fromPort', 'toPort'] as const);
    c[field] = field.endsWith('Port') ? s.rng.pick(PORTS) : n.id;
  },
  extraConnections(s) {
    for (let i = s.rng.int(20); i > 0; i--) {
      const a = s.rng.pick(s.cell.nodes);
      const b = s.rng.pick(s.cell.nodes);
      if (a && b) connect(s.cell, a.id, s.rng.pick(PORTS), b.id, s.rng.pick(PORTS));
    }
  },
  removeNode(s) {
    if (s.cell.nodes.length > 0) s.cell.nodes.splice(s.rng.int(s.cell.nodes.length), 1);
  },
  concatInputs(s) {
    const n = s.cell.nodes.find((x) => x.kind === 'concat');
    if (n) n.params = { inputs: s.rng.pick([0, 1, 2, 3, 8, 9, 1e9, 2.5, '2']) };
  },
  deepNesting(s) {
    const slot = randomSlot(s);
    if (slot) set(slot[0], slot[1], raw(s, rawTexts(s.rng)));
  },
  envelope(s) {
    const c = s.cell as unknown as Record<string, unknown>;
    const field = s.rng.pick(['format', 'version', 'nodes', 'connections', 'sizes', 'metadata']);
    c[field] = hostileValue(s);
  },
};

/** Mutations that usually keep a cell valid, so the ok path is fuzzed too. */
const BENIGN: Record<string, (s: Sample) => void> = {
  relabel(s) {
    const n = s.rng.pick(s.cell.nodes);
    if (n) n.label = `EVIL_LABEL_${s.rng.int(1000)} ${s.rng.pick(INJECTIONS.filter((x) => !/[\u0000-\u001f\u007f]/.test(x) && x.length <= 80))}`; // eslint-disable-line no-control-regex
  },
  linearParams(s) {
    const n = s.rng.pick(s.cell.nodes.filter((x) => x.kind === 'linear'));
    if (n) n.params = { init: s.rng.pick(['xavier', 'orthogonal', 'zeros']), bias: s.rng.chance(0.5), biasInit: s.rng.int(5) - 2 };
  },
  learnedState(s) {
    const n = s.rng.pick(s.cell.nodes.filter((x) => x.kind === 'state'));
    if (n) n.params = { init: 'learned' };
  },
  sizes(s) {
    s.cell.sizes = { input: 1 + s.rng.int(64), hidden: 1 + s.rng.int(64), named: { proj: 1 + s.rng.int(8) } };
  },
  sideBranch(s) {
    const from = s.rng.pick(s.cell.nodes.filter((x) => x.kind !== 'output'));
    if (!from) return;
    const port = from.kind === 'input' ? 'x' : from.kind === 'state' ? 'prev' : 'out';
    const id = `EVIL_ID_${s.rng.int(1_000_000)}`;
    s.cell.nodes.push({ id, kind: s.rng.pick(['sigmoid', 'tanh', 'relu', 'identity', 'one-minus']), params: {}, label: `EVIL_LABEL_${id}` });
    connect(s.cell, from.id, port, id, 'in');
    if (s.rng.chance(0.5)) {
      s.cell.nodes.push({ id: `${id}_p`, kind: 'linear', params: { out: 'proj' } });
      connect(s.cell, id, 'out', `${id}_p`, 'in');
    }
  },
};

/** An example whose ids and labels are all distinctive tokens, so printed programs can be searched for them. */
function evilExample(rng: Rng): RawCell {
  const cell = example(rng.pick(exampleNames));
  for (const n of [...cell.nodes]) {
    renameNode(cell, n.id, `EVIL_ID_${rng.int(1_000_000)}_${n.id.replace(/[^A-Za-z0-9]/g, '')}`, true);
    n.label = `EVIL_LABEL_${rng.int(1000)}`;
  }
  return cell;
}

function makeSample(seed: number): { text: string; ops: string[] } {
  const rng = new Rng(seed);
  const s: Sample = { cell: evilExample(rng), raws: [], rng };
  const benign = rng.chance(0.25);
  const table = benign ? BENIGN : MUTATIONS;
  const names = Object.keys(table);
  const ops: string[] = [];
  for (let i = 1 + rng.int(benign ? 3 : 4); i > 0; i--) {
    const name = rng.pick(names);
    ops.push(name);
    try {
      table[name](s);
    } catch {
      // An earlier mutation broke the structure this one walks (e.g. nodes is now a string): skip it.
    }
  }
  let text = JSON.stringify(s.cell).replace(/"@@RAW(\d+)@@"/g, (_m, i: string) => s.raws[Number(i)]);
  if (!benign && rng.chance(0.05)) {
    // Byte-level damage: truncate, or splice in a stray character.
    const at = rng.int(text.length);
    text = rng.chance(0.5) ? text.slice(0, at) : text.slice(0, at) + rng.pick(['"', '}', ',', '\\', '\u0000']) + text.slice(at);
    ops.push('textDamage');
  }
  return { text, ops };
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

function assertResult(r: Result<unknown>): void {
  if (typeof r !== 'object' || r === null || typeof r.ok !== 'boolean' || !Array.isArray(r.diagnostics)) throw new Error('not a Result');
  for (const d of r.diagnostics) {
    if (typeof d.code !== 'string' || typeof d.message !== 'string' || (d.severity !== 'error' && d.severity !== 'warning')) {
      throw new Error(`malformed diagnostic ${JSON.stringify(d)}`);
    }
  }
  if (!r.ok && !r.diagnostics.some((d) => d.severity === 'error')) throw new Error('failed without an error');
}

interface Outcome { loaded: boolean; compiled: boolean; printed?: string }

/** Runs one file through the loader and compiler; throws only on a broken contract. */
function runOne(text: string): Outcome {
  const loaded = loadCellText(text);
  assertResult(loaded);
  if (!loaded.ok) return { loaded: false, compiled: false };
  const compiled = compile(loaded.value);
  assertResult(compiled);
  if (!compiled.ok) return { loaded: true, compiled: false };
  const p = compiled.value.program;
  for (const v of p.values) {
    if (!Number.isInteger(v.size) || v.size < 0 || v.size > IR_LIMITS.vector) throw new Error(`value v${v.id} has size ${v.size}`);
  }
  for (const t of p.tensors) {
    if (!t.shape.every((n) => Number.isInteger(n) && n >= 0)) throw new Error(`tensor ${t.name}${t.id} has shape ${String(t.shape)}`);
  }
  const printed = `${printProgram(p)}\n${printBackward(compiled.value.backward)}`;
  // Nothing from the file's ids or labels reaches the printed program.
  for (const n of loaded.value.nodes) {
    for (const token of [n.id, n.label]) {
      if (token && /EVIL|pwned|script|[`$"'<]/.test(token) && printed.includes(token)) throw new Error(`printed program contains ${JSON.stringify(token)}`);
    }
  }
  if (/EVIL|pwned|<\/?script|\$\{|`/.test(printed)) throw new Error(`printed program contains file text:\n${printed}`);
  return { loaded: true, compiled: true, printed };
}

const protoKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
let protoBefore: string[];

beforeAll(() => {
  protoBefore = protoKeys();
});

afterAll(() => {
  // No file could reach Object.prototype or a global.
  expect(protoKeys()).toEqual(protoBefore);
  expect(globalThis.pwned).toBeUndefined();
});

describe('fuzz: seeded mutations of the examples', () => {
  const SAMPLES = 1500;
  const SEED = 20_240_601;

  it(`${SAMPLES} hostile variants each give a Result, never an exception, and finish within 20 s`, () => {
    const failures: string[] = [];
    const tally = { rejectedByLoader: 0, rejectedByCompiler: 0, compiled: 0 };
    const codes = new Set<string>();
    const start = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      const { text, ops } = makeSample(SEED + i);
      try {
        const outcome = runOne(text);
        if (!outcome.loaded) tally.rejectedByLoader++;
        else if (!outcome.compiled) tally.rejectedByCompiler++;
        else tally.compiled++;
        const l = loadCellText(text);
        for (const d of l.ok ? compile(l.value).diagnostics : l.diagnostics) codes.add(d.code);
      } catch (e) {
        failures.push(`sample ${i} (seed ${SEED + i}; ${ops.join(', ')}): ${(e as Error).message ?? String(e)}`);
      }
    }
    const elapsed = performance.now() - start;
    expect(failures).toEqual([]);
    expect(elapsed).toBeLessThan(20_000);
    expect(globalThis.pwned).toBeUndefined();
    // The batch reached every stage: loader rejections, compiler rejections and programs.
    expect(tally.rejectedByLoader).toBeGreaterThan(100);
    expect(tally.rejectedByCompiler).toBeGreaterThan(100);
    expect(tally.compiled).toBeGreaterThan(100);
    // …and provoked a broad range of diagnostics.
    for (const code of ['not-json', 'bad-node-id', 'bad-param-value', 'unknown-kind', 'bad-param', 'unknown-port',
      'dangling-connection', 'cycle-without-state', 'shape-mismatch', 'size-too-large', 'duplicate-node-id']) {
      expect([...codes], code).toContain(code);
    }
  });

  it('the same seed gives the same files', () => {
    expect(makeSample(7).text).toBe(makeSample(7).text);
  });
});

describe('fuzz: specific hostile files', () => {
  const header = '{"format":"celda-cell","version":1,"metadata":{"name":"big"},"sizes":{"input":1,"hidden":1},';

  it('a file with 100,000 nodes is refused quickly with too-many-nodes', () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => `{"id":"n${i}","kind":"identity","params":{}}`).join(',');
    const text = `${header}"nodes":[${nodes}],"connections":[]}`;
    expect(text.length).toBeLessThan(5_000_000);
    const start = performance.now();
    const r = loadCellText(text);
    expect(performance.now() - start).toBeLessThan(2_000);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain('too-many-nodes');
  });

  it('10 MB of JSON is refused as too large, without being parsed', () => {
    const text = `${header}"nodes":[],"connections":[],"pad":"${'x'.repeat(10_000_000)}"}`;
    const start = performance.now();
    const r = loadCellText(text);
    expect(performance.now() - start).toBeLessThan(500);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
  });

  it('a million-deep nesting is refused (too large), 100,000-deep is parsed and refused as the wrong shape', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(loadCellText(`{"format":"celda-cell","version":1,"metadata":${nest(3_000_000)}}`).diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
    const r = loadCellText(`{"format":"celda-cell","version":1,"metadata":${nest(100_000)},"sizes":${nest(100_000)},"nodes":[],"connections":[]}`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['bad-metadata', 'bad-sizes']);
  });

  it('the largest allowed cell, a 999-node loop without a state, is diagnosed within a second', () => {
    const loop = Array.from({ length: LIMITS.nodes - 1 }, (_, i) => ({ id: `n${i}`, kind: 'identity', params: {} }));
    const connections = loop.map((n, i) => ({ from: n.id, fromPort: 'out', to: loop[(i + 1) % loop.length].id, toPort: 'in' }));
    const cell = {
      format: 'celda-cell', version: 1, metadata: { name: 'loop' }, sizes: { input: 1, hidden: 1 },
      nodes: [...loop, { id: 'y', kind: 'output', params: {} }],
      connections: [...connections, { from: 'n0', fromPort: 'out', to: 'y', toPort: 'y' }],
    };
    const start = performance.now();
    const loaded = loadCell(cell);
    const r = loaded.ok ? compile(loaded.value) : loaded;
    expect(performance.now() - start).toBeLessThan(1_000);
    const cycle = r.diagnostics.filter((d) => d.code === 'cycle-without-state');
    // Every loop node is named; the output, stuck behind the loop but not on it, is not.
    expect(cycle).toHaveLength(loop.length);
    expect(cycle.map((d) => d.nodeId)).not.toContain('y');
  });

  it('4000 connections into a wide cell are checked within a second', () => {
    const nodes = [
      { id: 'x', kind: 'input', params: {} },
      ...Array.from({ length: 500 }, (_, i) => ({ id: `c${i}`, kind: 'concat', params: { inputs: 8 } })),
      { id: 'y', kind: 'output', params: {} },
    ];
    const connections = Array.from({ length: 4000 }, (_, k) => ({ from: 'x', fromPort: 'x', to: `c${k >> 3}`, toPort: `in${k & 7}` }));
    const cell = { format: 'celda-cell', version: 1, metadata: { name: 'wide' }, sizes: { input: 8, hidden: 1 }, nodes, connections: [...connections.slice(0, 3999), { from: 'c0', fromPort: 'out', to: 'y', toPort: 'y' }] };
    const start = performance.now();
    const loaded = loadCell(cell);
    expect(loaded.ok).toBe(true);
    const r = loaded.ok ? compile(loaded.value) : loaded;
    expect(performance.now() - start).toBeLessThan(1_000);
    // c499's last input lost its connection to make room for the output's.
    expect(r.diagnostics.map((d) => `${d.code} ${d.nodeId}.${d.port}`)).toEqual(['unconnected-input c499.in7']);
  });

  it('code in ids, labels, params, kinds, sizes and metadata never runs', () => {
    const payloads = INJECTIONS.filter((p) => /pwned/.test(p));
    for (const payload of payloads) {
      const cell = example('lstm.json') as unknown as Record<string, unknown> & RawCell;
      cell.metadata = { name: payload.slice(0, 80), description: payload, author: payload, notes: payload };
      cell.sizes.named = { [payload]: 4 };
      node(cell, 'f').label = payload;
      node(cell, 'Wf').params = { out: payload, init: payload, [payload]: payload };
      node(cell, 'o').kind = payload;
      renameNode(cell, 'u', payload, true);
      cell.connections.push({ from: payload, fromPort: payload, to: payload, toPort: payload });
      const r = runOne(JSON.stringify(cell));
      expect(r.compiled).toBe(false);
      // The same file with only the label and metadata hostile compiles, and runs nothing.
      const benign = example('lstm.json');
      benign.metadata = { name: payload.slice(0, 80), description: payload };
      node(benign, 'f').label = payload;
      const ok = runOne(JSON.stringify(benign));
      expect(ok.compiled).toBe(true);
      expect(ok.printed).not.toContain(payload);
    }
    expect(globalThis.pwned).toBeUndefined();
    expect(({} as Record<string, unknown>).pwned).toBeUndefined();
  });

  it('__proto__ keys in params and sizes do not reach any prototype', () => {
    const text = JSON.stringify(example('rnn.json'))
      .replace('"params":{}', '"params":{"__proto__":{"pwned":1},"constructor":{"prototype":{"pwned":1}}}')
      .replace('"hidden":16', '"hidden":16,"named":{"__proto__":{"pwned":1}}');
    const r = loadCellText(text);
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>).pwned).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('pwned');
  });

  it('ids that are Object.prototype names are refused by the loader (reserved-node-id) and pollute nothing', () => {
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const cell = example('rnn.json');
      renameNode(cell, 'lin', id, true);
      const loaded = loadCell(cell);
      expect(loaded.ok).toBe(false);
      expect(loaded.diagnostics[0]).toMatchObject({ code: 'reserved-node-id', nodeId: id });
    }
    expect(protoKeys()).toEqual(protoBefore);
  });

  it('a printed program names nothing from the file: every id and label is an EVIL_ token', () => {
    const rng = new Rng(99);
    for (let i = 0; i < 40; i++) {
      const out = runOne(JSON.stringify(evilExample(rng)));
      expect(out.compiled).toBe(true);
      expect(out.printed).not.toMatch(/EVIL/);
    }
  });
});

describe('names that are Object.prototype members', () => {
  it('a named size called "constructor" is refused by the loader, naming it', () => {
    const cell = example('rnn.json');
    cell.sizes.named = { constructor: 4 };
    const loaded = loadCell(cell);
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'bad-size-name', path: 'sizes.named.constructor' });
  });

  it('size arithmetic only reads its own terms, so "constructor" in an expression is just a name', () => {
    const sum = addSizes(parseSize('constructor') as SizeExpr, parseSize('2*constructor + hidden') as SizeExpr);
    expect(formatSize(sum)).toBe('3*constructor + hidden');
  });
});
