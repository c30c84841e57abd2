/**
 * What every command shares: reading and writing files with clear errors,
 * printing diagnostics, and the errors that end a command with an exit code.
 * Commands throw CliError / UsageError; src/cli/cli.ts prints them (no stack traces).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Diagnostic } from '../model/diagnostics';

/**
 * 130 = 128 + SIGINT: stopped by Ctrl-C; 141 = 128 + SIGPIPE: the reader of the
 * output went away (`celda … | head`). The shell's conventions for both.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130, brokenPipe: 141 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A diagnostic and the file it is about. */
export type FileDiagnostic = Diagnostic & { readonly file?: string };

/** Ends the command: a problem in a file or a failed check (exit 1 unless told otherwise). */
export class CliError extends Error {
  readonly diagnostics: readonly FileDiagnostic[];
  readonly exitCode: ExitCode;
  constructor(diagnostics: readonly FileDiagnostic[], exitCode: ExitCode = EXIT.failed) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.diagnostics = diagnostics;
    this.exitCode = exitCode;
  }
}

/** Ends the command with exit 2: the command line itself is wrong. */
export class UsageError extends CliError {
  constructor(message: string, code = 'usage', file?: string) {
    super([{ code, severity: 'error', message, ...(file !== undefined && { file }) }], EXIT.usage);
  }
}

/** One-diagnostic CliError. */
export function fail(code: string, message: string, where: Partial<Pick<FileDiagnostic, 'file' | 'nodeId' | 'port' | 'path'>> = {}, exitCode: ExitCode = EXIT.failed): CliError {
  return new CliError([{ code, severity: 'error', message, ...where }], exitCode);
}

/** Attaches a file name to diagnostics from the core. */
export function inFile(file: string, diagnostics: readonly Diagnostic[]): FileDiagnostic[] {
  return diagnostics.map((d) => ({ ...d, file }));
}

/** Where a command writes. Tests may pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

/** Largest data file (params, inputs) read, in bytes. */
export const MAX_DATA_FILE = 256 * 1024 * 1024;
/** Largest cell file read, in bytes (the loader also limits its characters). */
export const MAX_CELL_FILE = 8 * 1024 * 1024;

/**
 * Reads a UTF-8 text file. A missing or unreadable path is a usage error (exit 2)
 * that names the file; a file too large or not UTF-8 is a problem in the file (exit 1).
 */
export function readTextFile(file: string, what: string, maxBytes: number): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new UsageError(`The ${what} ${file} is a directory, not a file.`, 'not-a-file', file);
    if (!stat.isFile()) throw new UsageError(`The ${what} ${file} is not a regular file.`, 'not-a-file', file);
    size = stat.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new UsageError(`Cannot read the ${what} ${file}: ${describeFsError(e)}.`, 'cannot-read', file);
  }
  if (size > maxBytes) throw fail('file-too-large', `The ${what} ${file} has ${size} bytes; the limit is ${maxBytes}.`, { file });
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`Cannot read the ${what} ${file}: ${describeFsError(e)}.`, 'cannot-read', file);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw fail('not-utf8', `The ${what} ${file} is not UTF-8 text.`, { file });
  }
}

/** Reads and parses a JSON data file; invalid JSON is an error in the file (exit 1). */
export function readJsonFile(file: string, what: string, maxBytes = MAX_DATA_FILE): unknown {
  const text = readTextFile(file, what, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw fail('not-json', `The ${what} ${file} is not valid JSON: ${(e as Error).message}`, { file });
  }
}

export function writeTextFile(file: string, text: string, what: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`Cannot write the ${what} ${file}: ${describeFsError(e)}.`, 'cannot-write', file);
  }
}

/** A file a command reads, as the user gave it: `name` says how, e.g. "the cell file" or "the --params file". */
export interface NamedInput {
  readonly name: string;
  readonly path: string | undefined;
}

/**
 * Refuses (exit 2) to write `outPath`, asked for with `outFlag`, when it is one of the
 * files the command reads. Files are compared by device and inode, so a symlink,
 * `./a` for `a`, or a hard link to an input is caught too.
 */
export function refuseOverwritingInput(outFlag: string, outPath: string, inputs: readonly NamedInput[]): void {
  const out = fileIdentity(outPath);
  if (out === undefined) return;
  for (const input of inputs) {
    if (input.path === undefined || fileIdentity(input.path) !== out) continue;
    throw new UsageError(
      `${outFlag} would overwrite ${input.name} ${input.path}${outPath === input.path ? '' : ` (as ${outPath})`}: Celda never writes over a file it reads; choose another ${outFlag}.`,
      'out-is-input', outPath,
    );
  }
}

/** "device:inode" of an existing file; undefined when there is none to overwrite. */
function fileIdentity(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** A file-system error in words, for a message that already names the file. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'ENOSPC': return 'no space left on the device';
    case 'EEXIST': return 'a file of that name is in the way';
    default: return code ?? (e as Error).message;
  }
}

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

/** `file: error[code] message (node X, port Y, field P)` — one line, safe for a terminal. */
export function formatDiagnostic(d: FileDiagnostic): string {
  const where = [
    d.nodeId !== undefined && `node ${d.nodeId}`,
    d.port !== undefined && `port ${d.port}`,
    d.path !== undefined && d.path !== '' && d.path !== d.port && `field ${d.path}`,
  ].filter(Boolean);
  const suffix = where.length > 0 ? ` (${where.join(', ')})` : '';
  const file = d.file !== undefined ? `${d.file}: ` : '';
  return terminalSafe(`${file}${d.severity}[${d.code}] ${d.message}${suffix}`);
}

/**
 * Characters that would make printed text say more than itself: control characters
 * (a newline forges a line of output, ESC starts a terminal command), line and
 * paragraph separators, and bidirectional marks and overrides (they reorder what is shown).
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
const escapeChar = (c: string): string => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * One line for a terminal or a log: every name, label, id, file name or message
 * the CLI prints passes through here (ctx.print, ctx.note, formatDiagnostic), so
 * unprintable characters are shown escaped, JSON-style (`\n`, `\u001b`), never interpreted.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/**
 * A JSON value's text, with the characters JSON.stringify leaves raw but a terminal
 * would act on (DEL, C1 controls, separators, bidi marks) written as \u escapes:
 * the same JSON value, safe to show.
 */
function jsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return typeof value === 'string' ? text.replace(UNPRINTABLE, escapeChar) : text;
}

/** One line of JSON (a --json event), written as jsonText writes it: the same value, safe to show. */
export function jsonLine(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(UNPRINTABLE, escapeChar);
}

/**
 * JSON with objects indented and lists of plain values on one line, so a
 * matrix prints one row per line. Numbers keep full float64 precision.
 */
export function stringifyJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map(jsonText).join(', ')}]`;
    return `[\n${value.map((v) => inner + stringifyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${jsonText(k)}: ${stringifyJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return jsonText(value);
}

/** A number for people: 6 significant digits, aligned sign. */
export function formatNumber(v: number): string {
  const s = Math.abs(v) >= 1e-4 || v === 0 ? Number(v.toPrecision(6)).toString() : v.toExponential(4);
  return v < 0 ? s : ` ${s}`;
}

export function formatVector(values: ArrayLike<number>): string {
  return Array.from(values, formatNumber).join(' ');
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
