/**
 * Try the TF.js peer benchmark (bench/tfjs-peer.ts) by hand; prints JSON on stdout,
 * progress on stderr with --verbose.
 *
 *   npx tsx bench/tfjs-peer-cli.ts                                   # lstm, wasm, hidden 128
 *   npx tsx bench/tfjs-peer-cli.ts --cell gru --backend cpu --hidden 32 --steps 10
 *   npx tsx bench/tfjs-peer-cli.ts --cell lstm,gru --backend wasm,cpu --hidden 32,128
 *   npx tsx bench/tfjs-peer-cli.ts --trainer trainOnBatch           # instead of optimizer.minimize
 *   npx tsx bench/tfjs-peer-cli.ts --matmul --backend wasm           # GEMM shapes instead of training
 *
 * Comma lists run every combination in one process (backends switched in place) and
 * print a JSON array; a single combination prints one object.
 * Defaults: --vocab 65 --batch 32 --seq 64 --warmup 2 --steps 5 --hidden 128 --seed 1.
 */
import {
  DEFAULT_TRAINER, benchTfjsCharLmWith, benchTfjsMatMul,
  type MatMulCase, type PeerBackend, type PeerCell, type PeerResult, type PeerTrainer,
} from './tfjs-peer';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npx tsx bench/tfjs-peer-cli.ts [--cell lstm|gru[,…]] [--backend wasm|cpu[,…]] [--hidden N[,…]]\n'
    + '  [--vocab 65] [--batch 32] [--seq 64] [--warmup 2] [--steps 5] [--seed 1]\n'
    + '  [--trainer minimize|trainOnBatch] [--matmul [--reps 20]] [--verbose]');
  process.exit(0);
}
const value = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const next = args[at + 1];
  if (next === undefined || next.startsWith('--')) throw new Error(`--${name} wants a value`);
  return next;
};
const list = <T extends string>(name: string, allowed: readonly T[], fallback: T): T[] =>
  (value(name) ?? fallback).split(',').map((v) => {
    if (!(allowed as readonly string[]).includes(v)) throw new Error(`--${name} wants one of ${allowed.join(', ')}, got ${v}`);
    return v as T;
  });
const numbers = (name: string, fallback: number, zeroOk = false): number[] =>
  (value(name) ?? String(fallback)).split(',').map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) throw new Error(`--${name} wants ${zeroOk ? 'a non-negative' : 'a positive'} integer, got ${v}`);
    return n;
  });
const one = (name: string, fallback: number, zeroOk = false): number => {
  const all = numbers(name, fallback, zeroOk);
  if (all.length !== 1) throw new Error(`--${name} takes one number`);
  return all[0];
};

const backends = list<PeerBackend>('backend', ['wasm', 'cpu'], 'wasm');
const verbose = args.includes('--verbose');
const log = verbose ? (msg: string): void => console.error(msg) : undefined;

if (args.includes('--matmul')) {
  const cases: MatMulCase[] = [];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) cases.push({ m: 32, k: 128, n: 512, transposeA, transposeB });
  }
  cases.push({ m: 2048, k: 65, n: 512, transposeA: false, transposeB: false });
  cases.push({ m: 512, k: 2048, n: 128, transposeA: false, transposeB: false });
  const out = [];
  for (const backend of backends) out.push({ backend, results: await benchTfjsMatMul(backend, cases, one('reps', 20)) });
  console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
} else {
  const cells = list<PeerCell>('cell', ['lstm', 'gru'], 'lstm');
  const hiddens = numbers('hidden', 128);
  const trainer = list<PeerTrainer>('trainer', ['minimize', 'trainOnBatch'], DEFAULT_TRAINER);
  const fixed = {
    vocab: one('vocab', 65), batch: one('batch', 32), seq: one('seq', 64),
    warmup: one('warmup', 2, true), steps: one('steps', 5), seed: one('seed', 1, true),
  };
  const results: PeerResult[] = [];
  for (const backend of backends) {
    for (const cell of cells) {
      for (const hidden of hiddens) {
        for (const t of trainer) results.push(await benchTfjsCharLmWith({ cell, backend, hidden, ...fixed }, t, log));
      }
    }
  }
  console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
}
