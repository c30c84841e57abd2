/**
 * A seeded fuzz of the whole command line: every command, called hundreds of
 * times with hostile cell files (mutations of the examples: wrong types, huge
 * numbers, NaN, deep nesting, unknown kinds, prototype keys, big arrays, broken
 * text), hostile params, inputs, checkpoints and texts, and bad flags (negative,
 * NaN, huge, missing values, unknown flags, folders, missing files, an input as --out).
 *
 * For each call: it ends (a child process runs the calls in-process and is killed
 * when one overstays or runs out of memory), no exception escapes runCli (the real
 * command's "internal error"), nothing it prints holds a stack frame, its exit
 * status is 0, 1 or 2, --json output parses, and no file in the folder changes but
 * what its --out names. Every failure is collected, so one run lists them all.
 *
 * CELDA_FUZZ_SEED=n runs another seed (the default is fixed, so the test is deterministic).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, lstatSync, statSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODES, nodeDef } from '../../nodes';
import { NOTATIONS } from '../../src/compiler/equations';
import { TASK_NAMES } from '../../src/runtime/tasks/index';
import { createRng, type Rng } from '../../src/runtime/rng';
import { BACKEND_CHOICES } from '../../src/gpu/choose';
import { HOSTILE_IDS, HOSTILE_LABELS } from '../fixtures/random-cells';
import { ROOT } from './celda';
import type { FuzzReply, FuzzRequest } from './fuzz-runner';

const SEED = Number(process.env.CELDA_FUZZ_SEED ?? 12);
const CALLS_PER_COMMAND = 55;
/** A hang detector, not a speed test: far above any call's time, even on busy cores. */
const CALL_LIMIT_MS = 60_000;
const CHILD_MEMORY_MB = 1024;
const EXIT_STATUSES = [0, 1, 2];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------
// Random choices
// ---------------------------------------------------------------------------

interface Random {
  chance(p: number): boolean;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

function random(rng: Rng): Random {
  const int = (n: number) => Math.floor(rng.next() * n);
  return { chance: (p) => rng.next() < p, int, pick: (items) => items[int(items.length)] };
}

// ---------------------------------------------------------------------------
// Hostile JSON files: mutations of a valid document
// ---------------------------------------------------------------------------

/** Values that must not appear in JSON text as-is: written into the text in place of their marker. */
const RAW_TOKENS = ['1e400', '-1e400', 'NaN', 'Infinity', '[[[[[[[[[[]]]]]]]]]]', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, '-0', '1E-400'];
const rawMarker = (i: number): string => `@@raw${i}@@`;

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

function hostileValue(r: Random): Json {
  return r.pick<() => Json>([
    () => null, () => true, () => 0, () => -1, () => 1.5, () => 1e308, () => -1e308, () => 2 ** 53 + 2, () => 4097,
    () => '', () => 'NaN', () => '8', () => 'x'.repeat(20_000), () => r.pick(HOSTILE_IDS), () => r.pick(HOSTILE_LABELS),
    () => [], () => ({}), () => [1, 'a', null], () => Array.from({ length: 50_000 }, (_, i) => i % 7),
    () => rawMarker(r.int(RAW_TOKENS.length)), () => ({ [r.pick(PROTOTYPE_KEYS)]: { polluted: true } }),
  ])();
}

/** A random place in the document: the container and the key or index in it. */
function randomPlace(doc: Json, r: Random): { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined {
  let parent: Json[] | { [key: string]: Json } | undefined;
  let key: string | number | undefined;
  let here = doc;
  for (let depth = 0; depth < 8 && here !== null && typeof here === 'object'; depth++) {
    const keys: (string | number)[] = Array.isArray(here) ? here.map((_, i) => i) : Object.keys(here);
    if (keys.length === 0 || (parent !== undefined && r.chance(0.25))) break;
    parent = here;
    key = r.pick(keys);
    here = Array.isArray(here) ? here[key as number] : here[key as string];
  }
  return parent === undefined || key === undefined ? undefined : { parent, key };
}

function set(parent: Json[] | { [key: string]: Json }, key: string | number, value: Json): void {
  if (Array.isArray(parent)) parent[key as number] = value;
  else Object.defineProperty(parent, key, { value, enumerable: true, configurable: true, writable: true });
}

/** One to three changes to a copy of `valid`, written as text (sometimes then broken as text). */
function mutatedJson(valid: Json, r: Random): string | Buffer {
  const doc = JSON.parse(JSON.stringify(valid)) as Json;
  for (let n = 1 + r.int(3); n > 0; n--) {
    const place = randomPlace(doc, r);
    if (!place) continue;
    const { parent, key } = place;
    const old = Array.isArray(parent) ? parent[key as number] : parent[key as string];
    switch (r.int(5)) {
      case 0:
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case 1:
        if (!Array.isArray(parent)) set(parent, r.pick(PROTOTYPE_KEYS), hostileValue(r));
        else set(parent, key, hostileValue(r));
        break;
      case 2:
        // Giant arrays within reason: a list made 100 to 3000 times longer.
        if (Array.isArray(old) && old.length > 0) set(parent, key, Array.from({ length: old.length * (100 + r.int(2900)) }, (_, i) => old[i % old.length]));
        else set(parent, key, hostileValue(r));
        break;
      case 3:
        if (typeof old === 'string') set(parent, key, r.pick([...HOSTILE_IDS, ...PROTOTYPE_KEYS, `${old}\n`, `${old}\u202e`, old.repeat(100)]));
        else set(parent, key, hostileValue(r));
        break;
      default:
        set(parent, key, hostileValue(r));
    }
  }
  let text = JSON.stringify(doc, null, r.chance(0.5) ? 2 : undefined);
  text = text.replace(/"@@raw(\d+)@@"/g, (_, i: string) => RAW_TOKENS[Number(i)]);
  if (!r.chance(0.15)) return text;
  return r.pick<() => string | Buffer>([
    () => text.slice(0, r.int(text.length)),
    () => `\uFEFF${text}`,
    () => `${text}${text}`,
    () => Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(text.slice(20))]),
    () => '',
    () => 'null',
    () => '\u0000',
  ])();
}

interface CellDoc {
  sizes: { [key: string]: Json };
  nodes: { id: string; kind: string; label?: string; params: { [key: string]: Json } }[];
  connections: { [key: string]: Json }[];
}

const KINDS = NODES.map((d) => d.kind);
/** Kinds that take each other's place and keep a cell valid: the swap reaches training and export. */
const SWAPPABLE = [['sigmoid', 'tanh', 'relu', 'identity', 'one-minus'], ['add', 'subtract', 'multiply']];
const PORTS = ['in', 'in0', 'in1', 'in2', 'a', 'b', 'next', 'prev', 'out', '', '__proto__', 'constructor'];
const SIZE_TEXTS = ['hidden', 'input', 'hidden + input', '2*hidden', 'hidden*4096', 'hidden - hidden', 'nope', '(', '1/0', 'proj', '__proto__', '0', '-1'];

/**
 * A change that keeps the file well-formed, so the cell gets past the loader to the
 * compiler and beyond: a node of another kind, a param or a size of another value,
 * rewired or missing connections, a repeated node, a named size.
 */
function rewiredCell(valid: Json, r: Random): string {
  const cell = JSON.parse(JSON.stringify(valid)) as CellDoc;
  for (let n = 1 + r.int(2); n > 0; n--) {
    const node = r.pick(cell.nodes);
    const connection = r.pick(cell.connections);
    const family = SWAPPABLE.find((kinds) => kinds.includes(node.kind));
    switch (r.int(10)) {
      case 8: case 9: if (family) node.kind = r.pick(family); break;
      case 0: node.kind = r.chance(0.8) ? r.pick(KINDS) : r.pick(['nope', 'LINEAR', '__proto__', 'toString']); break;
      case 1: node.params[r.chance(0.9) ? r.pick(Object.keys(nodeDef(node.kind)?.params ?? { out: 0 })) : r.pick(PROTOTYPE_KEYS)] = r.pick<Json>([
        ...SIZE_TEXTS, 1, 2, 0, -1, 1e6 + 1, 1e308, true, 'xavier', 'orthogonal', 'zeros', 'uniform', 'constant', null, [], {},
      ]); break;
      case 2: connection[r.pick(['from', 'to'])] = r.pick(cell.nodes).id; break;
      case 3: connection[r.pick(['fromPort', 'toPort'])] = r.pick(PORTS); break;
      case 4: cell.connections.splice(cell.connections.indexOf(connection), 1); break;
      case 5: cell.nodes.splice(cell.nodes.indexOf(node), 1); break;
      case 6: cell.nodes.push({ ...node, params: { ...node.params } }); break;
      default:
        cell.sizes.named = { proj: r.pick<Json>([1, 3, 4096, 0, 'hidden']) };
        if (r.chance(0.5)) cell.sizes[r.pick(['input', 'hidden'])] = r.pick<Json>([1, 2, 3, 0, 4097]);
    }
  }
  return JSON.stringify(cell);
}

// ---------------------------------------------------------------------------
// The folder the calls run in
// ---------------------------------------------------------------------------

interface Fixtures {
  readonly dir: string;
  /** Valid files by role. */
  readonly cells: readonly string[];
  readonly params: readonly string[];
  readonly inputs: readonly string[];
  readonly gradOutputs: readonly string[];
  readonly checkpoints: readonly string[];
  readonly charCheckpoints: readonly string[];
  readonly texts: readonly string[];
  /** Hostile files by role. */
  readonly hostile: Readonly<Record<'cells' | 'params' | 'inputs' | 'checkpoints' | 'texts', readonly string[]>>;
  /** Well-formed cells changed in their wiring, kinds, params or sizes: they reach the compiler and often run. */
  readonly rewired: readonly string[];
  /** Paths that are not readable files: missing, a folder, a device, empty, odd names. */
  readonly oddPaths: readonly string[];
}

const EXAMPLE_CELLS = ['rnn', 'lstm', 'gru', 'gru-reset-after'];

/** Valid inputs [T][B][size] for the sizes the params files have (input 2; outputs 2). */
const sequence = (steps: number, batch: number, size: number, r: Random): number[][][] =>
  Array.from({ length: steps }, () => Array.from({ length: batch }, () => Array.from({ length: size }, () => r.int(200) / 100 - 1)));

// ---------------------------------------------------------------------------
// The child process running the calls
// ---------------------------------------------------------------------------

class Runner {
  private child: ChildProcess | undefined;
  private pending: ((reply: FuzzReply | { crashed: string }) => void) | undefined;

  constructor(private readonly dir: string) {}

  /** Runs one call; a call past CALL_LIMIT_MS, or a crash, kills the child (a fresh one runs the next call). */
  async call(index: number, argv: readonly string[]): Promise<FuzzReply | { crashed: string }> {
    const child = await this.ready();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stop();
        resolve({ crashed: `did not end within ${CALL_LIMIT_MS / 1000} s` });
      }, CALL_LIMIT_MS);
      this.pending = (reply) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(reply);
      };
      child.send({ index, argv } satisfies FuzzRequest);
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private ready(): Promise<ChildProcess> {
    if (this.child) return Promise.resolve(this.child);
    const child = fork(join(ROOT, 'tests/cli/fuzz-runner.ts'), [this.dir], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${CHILD_MEMORY_MB}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.on('message', (reply: FuzzReply) => {
        if (reply.index === -1) resolve(child);
        else this.pending?.(reply);
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        this.pending?.({ crashed: `the process ended (code ${code}, signal ${signal}): ${output.slice(-2000)}` });
        reject(new Error(`the fuzz runner did not start: ${output.slice(-2000)}`));
      });
    });
  }
}

// ---------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------

/** Number options: tiny valid values, and the bad ones every option gets. */
const BAD_NUMBERS = [
  '-1', '0', '-0', 'NaN', 'nan', 'Infinity', '-Infinity', '1e309', '99999999999999999999', '4097', '1.5', '', ' ', '0x10', 'abc',
  '３', '١', '1e-400', '+2', '2 ', '00002', '1_000', '2e0', '-5', 'x'.repeat(3000), '\n', '1\n2', '--json', '-',
];

interface Call {
  readonly argv: string[];
  /** What --out names, resolved: the one place this call may change. */
  readonly out?: string;
}

/** Builds the calls for each command from the fixtures; all randomness from `r`. */
function makeCalls(f: Fixtures, r: Random): Call[] {
  /** How likely each file or value of the call being made is a bad one: some calls are all good, some bad all over. */
  let hostility = 0;
  const bad = () => r.chance(hostility);
  const cellPath = (good: readonly string[] = f.cells) => {
    if (!bad()) return r.chance(0.7) ? r.pick(good) : r.pick(f.rewired);
    return r.chance(0.85) ? r.pick(f.hostile.cells) : r.pick(f.oddPaths);
  };
  const fileFrom = (valid: readonly string[], hostile: readonly string[]) => () =>
    (!bad() ? r.pick(valid) : r.chance(0.8) ? r.pick(hostile) : r.pick([...f.oddPaths, ...f.cells]));
  const number = (...good: string[]) => () => (!bad() ? r.pick(good) : r.pick(BAD_NUMBERS));
  const word = (...good: string[]) => () => (!bad() ? r.pick(good) : r.pick(['', 'NOPE', '--json', 'Adam', ' sgd', 'constructor', '__proto__']));
  let outs = 0;
  /** A fresh path, a folder, a path in a missing folder, an input of this call, or an empty value. */
  const outPath = (inputs: readonly string[], kind: 'file' | 'folder') => {
    const fresh = join(f.dir, 'out', `${kind}-${outs++}${kind === 'file' ? '.json' : ''}`);
    if (!bad()) return fresh;
    if (r.chance(0.5)) return r.chance(0.5) ? r.pick(inputs) : `./${relative(f.dir, r.pick(inputs))}`;
    return r.pick([join(f.dir, 'missing', 'x', 'out.json'), join(f.dir, 'folder'), '']);
  };

  type Flags = Record<string, () => string>;
  /** Each option with probability `p`, plus now and then an unknown or malformed one. */
  const options = (flags: Flags, p = 0.5, always: readonly string[] = []) => {
    const argv: string[] = [];
    for (const [name, value] of Object.entries(flags)) if (always.includes(name) || r.chance(p)) argv.push(`--${name}`, value());
    if (bad() && r.chance(0.3)) argv.push(r.pick(['--nope', '-z', '--input=2', '--', '-', '--json=1', '--help', 'extra.json', '--hidden']));
    if (r.chance(0.3)) argv.push('--json');
    return argv;
  };
  const sizes: Flags = { input: number('1', '2', '3'), hidden: number('1', '2', '3') };
  const seed = number('0', '1', '7', '4294967295');
  const backend = () => (r.chance(0.9) ? 'reference' : r.pick(BACKEND_CHOICES.filter((b) => b !== 'reference')));

  const commands: Record<string, () => Call> = {
    validate: () => ({ argv: ['validate', ...Array.from({ length: 1 + r.int(3) }, cellPath), ...options({})] }),
    info: () => {
      const argv = ['info', cellPath(), ...options(sizes)];
      if (r.chance(0.3)) argv.push('--ir');
      if (r.chance(0.3)) argv.push('--plan');
      return { argv };
    },
    equations: () => ({ argv: ['equations', cellPath(), ...options({ notation: word(...NOTATIONS), format: word('text', 'latex') })] }),
    init: () => {
      const cell = cellPath();
      const out = r.chance(0.6) ? outPath([cell], 'file') : undefined;
      return { argv: ['init', cell, ...options({ ...sizes, seed }), ...(out === undefined ? [] : ['--out', out])], out };
    },
    run: () => {
      const which = r.int(f.params.length); // params-rnn.json goes with rnn.json, params-lstm.json with lstm.json
      const flags = { params: fileFrom([f.params[which]], f.hostile.params), inputs: fileFrom(f.inputs, f.hostile.inputs), 'grad-outputs': fileFrom(f.gradOutputs, f.hostile.inputs) };
      return { argv: ['run', cellPath([f.cells[which]]), ...options(flags, 0.5, bad() ? [] : ['params', 'inputs'])] };
    },
    gradcheck: () => ({
      argv: ['gradcheck', cellPath(), ...options({ ...sizes, steps: number('1', '2'), batch: number('1', '2'), seed }, 0.7, ['input', 'hidden'])],
    }),
    train: () => {
      const cell = cellPath();
      const task = !bad() ? r.pick(TASK_NAMES) : r.pick(['', 'nope', 'CHARLM']);
      const optimizer = word('sgd', 'rmsprop', 'adam')();
      const schedule = word('constant', 'cosine')();
      /** Options that belong with a task or a choice: given with it, and now and then (a bad call) without. */
      const when = (fits: boolean, flags: Flags): Flags => (fits || bad() ? flags : {});
      const flags: Flags = {
        // The work done stays tiny: steps, batch, hidden and the length are always given, each a valid value or a bad one.
        steps: number('1', '2'), batch: number('1', '2'), hidden: number('1', '2'),
        ...when(task !== 'copy', { seq: task === 'order' ? number('20') : task === 'spell-number' ? number('7', '33') : number('2', '3') }),
        ...when(task === 'copy', { delay: number('1', '2') }),
        ...when(task === 'spell-number', { 'up-to': number('9', '20') }),
        ...when(task === 'sine', { noise: number('0', '0.05', '3'), resume: fileFrom(f.checkpoints, f.hostile.checkpoints) }),
        ...when(task === 'charlm', { data: fileFrom(f.texts, f.hostile.texts) }),
        ...when(optimizer === 'sgd', { momentum: number('0', '0.9', '0.999') }),
        ...when(schedule === 'cosine', { warmup: number('0', '1') }),
        ...when(false, { input: number('1', '2', '4') }),
        optimizer: () => optimizer, schedule: () => schedule,
        chunk: number('1', '2'), lr: number('0.01', '0.5', '10'), clip: number('0', '1', '1000000'), seed, 'eval-every': number('0', '1'), backend,
      };
      const argv = ['train', cell, '--task', task, ...options(flags, 0.4, ['steps', 'batch', 'hidden', 'seq', 'delay'])];
      const data = argv[argv.indexOf('--data') + 1];
      const out = r.chance(0.5) ? outPath([cell, ...(argv.includes('--data') ? [data] : [])], 'file') : undefined;
      if (out !== undefined) argv.push('--out', out);
      return { argv, out };
    },
    sample: () => ({
      argv: ['sample', cellPath(f.cells.slice(0, 1)), ...options({
        ckpt: fileFrom(f.charCheckpoints, [...f.hostile.checkpoints, ...f.checkpoints]),
        prefix: () => (!bad() ? r.pick(['de ', 'la casa ', 'a']) : r.pick(['', '\n', '\u0000', '🔥', 'x'.repeat(2000), '\u202e', 'ZZZ'])),
        top: number('1', '3'), length: number('1', '5'), temperature: number('0.5', '1', '10'), 'sample-top': number('1', '2'), seed,
      }, 0.6, ['ckpt', 'prefix'])],
    }),
    study: () => ({
      argv: ['study', !bad() ? 'adding' : r.pick(['', 'nope', '__proto__']), ...options({
        // The work done stays tiny: always given, a valid value or a bad one.
        steps: number('1', '2'), seeds: number('1'), length: number('2', '3'), hidden: number('1', '2'), batch: number('1', '2'),
        lr: number('0.01', '1'), backend: () => (r.chance(0.95) ? 'reference' : 'cpu'),
      }, 0.5, ['steps', 'seeds', 'length', 'hidden', 'batch'])],
    }),
    export: () => {
      const cell = cellPath();
      const weights = r.pick(['ckpt', 'params', 'seed', bad() ? 'both' : 'seed']);
      const ckpt = weights === 'ckpt' || weights === 'both' ? fileFrom(f.checkpoints, f.hostile.checkpoints)() : undefined;
      const params = weights === 'params' || weights === 'both' ? fileFrom(f.params, f.hostile.params)() : undefined;
      const out = !bad() || r.chance(0.5) ? outPath([cell, ...(ckpt ? [ckpt] : []), ...(params ? [params] : [])], 'folder') : undefined;
      const argv = ['export', cell, ...options({ to: word('pytorch', 'tfjs'), ...sizes, seed, notation: word(...NOTATIONS) }, 0.5, ['to'])];
      if (ckpt !== undefined) argv.push('--ckpt', ckpt);
      if (params !== undefined) argv.push('--params', params);
      if (out !== undefined) argv.push('--out', out);
      return { argv, out };
    },
    zoo: () => ({
      argv: ['zoo', ...options({ input: number('1', '2', '128'), hidden: number('1', '2', '128'), group: word('classics', 'lstm-family', 'gru-family', 'minimal-gated', 'other', 'all') })],
    }),
    ablate: () => {
      const cell = cellPath();
      const out = !bad() || r.chance(0.5) ? outPath([cell], 'folder') : undefined;
      return { argv: ['ablate', cell, ...options({}), ...(out === undefined ? [] : ['--out', out])], out };
    },
  };
  const calls: Call[] = [];
  for (const make of Object.values(commands)) {
    for (let i = 0; i < CALLS_PER_COMMAND; i++) {
      hostility = r.pick([0, 0.05, 0.15, 0.4]);
      calls.push(make());
    }
  }
  return calls.map((c) => ({ ...c, ...(c.out !== undefined && c.out !== '' && { out: isAbsolute(c.out) ? c.out : join(f.dir, c.out) }) }));
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/** Every file and link under `dir`: its identity, size and time of change, to see what a call touched. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const s = lstatSync(path, { bigint: true });
      files.set(path, s.isSymbolicLink() ? `link ${readlinkSync(path)}` : `${s.ino}:${s.size}:${s.mtimeNs}:${s.isDirectory()}`);
      if (s.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return files;
}

const identity = (path: string): string | undefined => {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
};

/**
 * Whether the call's --out is one of the files it reads (however spelled): then it
 * must refuse, and the file must stay as it was. --resume is not counted: train
 * --resume X --out X continues X by design.
 */
function outIsAnInput(call: Call): boolean {
  const out = call.out === undefined ? undefined : identity(call.out);
  if (out === undefined) return false;
  return call.argv.some((arg, i) => !['--out', '--resume'].includes(call.argv[i - 1]) && arg !== '' && identity(arg) === out);
}

function changedFiles(before: Map<string, string>, after: Map<string, string>, out: string | undefined): string[] {
  const allowed = (path: string) => out !== undefined && (path === out || path.startsWith(`${out}/`) || out.startsWith(`${path}/`));
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p) && !allowed(p)).map((p) => `${p} ${before.has(p) ? (after.has(p) ? 'changed' : 'deleted') : 'created'}`);
}

/** The problems with one call's result (empty when it behaved). */
function problems(call: Call, reply: FuzzReply | { crashed: string }, changed: readonly string[]): string[] {
  if ('crashed' in reply) return [reply.crashed];
  const found: string[] = [];
  if (reply.thrown !== undefined) found.push(`an exception escaped runCli (an internal error): ${reply.thrown.split('\n').slice(0, 6).join(' | ')}`);
  if (reply.status !== undefined && !EXIT_STATUSES.includes(reply.status)) found.push(`exit status ${reply.status}`);
  const printed = `${reply.stdout}\n${reply.stderr}`;
  const frame = /^ {4}at .*$/m.exec(printed);
  if (frame) found.push(`a stack frame in the output: ${frame[0]}`);
  if (call.argv.includes('--json') && !call.argv.includes('--help') && reply.thrown === undefined && !isJsonOutput(reply.stdout)) {
    found.push(`--json output is not JSON: ${reply.stdout.slice(0, 200)}`);
  }
  if (changed.length > 0) found.push(`changed files it was not asked to write: ${changed.join(', ')}`);
  return found;
}

/** One JSON document, or one per line (train's events). */
function isJsonOutput(text: string): boolean {
  const parses = (t: string) => {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  };
  if (parses(text)) return true;
  const lines = text.split('\n').filter((l) => l !== '');
  return lines.length > 0 && lines.every(parses);
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

let fixtures: Fixtures;
let runner: Runner;

/** Valid params, checkpoints and texts first (made by the command itself), then their hostile mutations. */
async function makeFixtures(r: Random): Promise<Fixtures> {
  const dir = mkdtempSync(join(tmpdir(), 'celda-fuzz-'));
  mkdirSync(join(dir, 'out'));
  mkdirSync(join(dir, 'folder'));
  const cells = EXAMPLE_CELLS.map((name) => {
    const path = join(dir, `${name}.json`);
    copyFileSync(join(ROOT, 'examples', `${name}.json`), path);
    return path;
  });
  runner = new Runner(dir);
  const setup = async (...argv: string[]) => {
    const reply = await runner.call(-2, argv);
    if ('crashed' in reply || reply.status !== 0) throw new Error(`setup: celda ${argv.join(' ')} failed: ${JSON.stringify(reply)}`);
  };
  const params = ['rnn', 'lstm'].map((name) => join(dir, `params-${name}.json`));
  await setup('init', join(dir, 'rnn.json'), '--input', '2', '--hidden', '2', '--out', params[0]);
  await setup('init', join(dir, 'lstm.json'), '--input', '2', '--hidden', '2', '--out', params[1]);
  const checkpoint = join(dir, 'ckpt-sine.json');
  await setup('train', join(dir, 'rnn.json'), '--task', 'sine', '--steps', '1', '--batch', '1', '--seq', '2', '--hidden', '2', '--backend', 'reference', '--out', checkpoint);
  const charCheckpoint = join(dir, 'ckpt-charlm.json');
  await setup('train', join(dir, 'rnn.json'), '--task', 'charlm', '--steps', '1', '--batch', '1', '--seq', '2', '--hidden', '2', '--backend', 'reference', '--out', charCheckpoint);

  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const inputs = [write('inputs.json', JSON.stringify(sequence(3, 2, 2, r)))];
  const gradOutputs = [write('grads.json', JSON.stringify(sequence(3, 2, 2, r)))];
  const texts = [write('text.txt', 'la casa de la abuela.\nde la mar y de la tierra.\n'.repeat(20))];
  const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json;
  const mutations = (prefix: string, valid: readonly Json[], count: number) =>
    Array.from({ length: count }, (_, i) => write(`${prefix}-${i}.json`, mutatedJson(r.pick(valid), r)));
  const hostile = {
    cells: [
      ...mutations('hostile-cell', cells.map(readJson), 60),
      write('huge-cell.json', ' '.repeat(9 * 1024 * 1024)),
      write('many-nodes.json', JSON.stringify({ ...(readJson(cells[0]) as object), nodes: Array.from({ length: 1500 }, (_, i) => ({ id: `n${i}`, kind: 'tanh', params: {}, position: { x: 0, y: 0 } })) })),
    ],
    params: mutations('hostile-params', params.map(readJson), 20),
    inputs: [...mutations('hostile-inputs', [readJson(inputs[0])], 15), write('no-steps.json', '[]'), write('too-many-steps.json', JSON.stringify(Array.from({ length: 10_001 }, () => [[0, 0]])))],
    checkpoints: mutations('hostile-ckpt', [readJson(checkpoint), readJson(charCheckpoint)], 20),
    texts: [write('empty.txt', ''), write('one.txt', 'a'), write('binary.txt', Buffer.from([0xff, 0xfe, 0x00, 0x80])), write('controls.txt', '\u0000\u001b[2J\u202e'.repeat(50))],
  };
  const rewired = Array.from({ length: 60 }, (_, i) => write(`rewired-cell-${i}.json`, rewiredCell(readJson(r.pick(cells)), r)));
  const oddPaths = [join(dir, 'missing.json'), join(dir, 'folder'), '/dev/null', '/dev/zero', '', '-', './missing', write('newline\nname.json', '{}')];
  return { dir, cells, params, inputs, gradOutputs, checkpoints: [checkpoint], charCheckpoints: [charCheckpoint], texts, hostile, rewired, oddPaths };
}

beforeAll(async () => {
  fixtures = await makeFixtures(random(createRng(SEED)));
}, 300_000);

afterAll(() => {
  runner?.stop();
  if (fixtures) rmSync(fixtures.dir, { recursive: true, force: true });
});

describe(`celda fuzz (seed ${SEED})`, () => {
  it('every call ends, with exit 0, 1 or 2, no stack trace, JSON under --json, and no file changed but its --out', async () => {
    const calls = makeCalls(fixtures, random(createRng(SEED + 1)));
    expect(calls.length).toBeGreaterThanOrEqual(500);
    const failures: string[] = [];
    /** Per command, whether some call succeeded and some failed: a fuzz where every call is refused tests little. */
    const outcomes = new Map<string, Set<'ok' | 'refused'>>();
    for (const [index, call] of calls.entries()) {
      const before = snapshot(fixtures.dir);
      const writable = outIsAnInput(call) ? undefined : call.out;
      const reply = await runner.call(index, call.argv);
      const found = problems(call, reply, changedFiles(before, snapshot(fixtures.dir), writable));
      if ('status' in reply) outcomes.set(call.argv[0], (outcomes.get(call.argv[0]) ?? new Set()).add(reply.status === 0 ? 'ok' : 'refused'));
      if (found.length > 0) failures.push(`celda ${call.argv.map((a) => JSON.stringify(a)).join(' ')}\n  ${found.join('\n  ')}`);
    }
    expect(failures, `${failures.length} of ${calls.length} calls misbehaved`).toEqual([]);
    for (const command of new Set(calls.map((c) => c.argv[0]))) expect([...(outcomes.get(command) ?? [])].sort(), command).toEqual(['ok', 'refused']);
  }, 1_200_000);
});
