/**
 * How a command is declared (name, usage, options with help) and how its
 * arguments are parsed (node:util parseArgs, strict) and checked.
 */
import { parseArgs } from 'node:util';
import { LIMITS } from '../model/cell';
import { EXIT, UsageError, type ExitCode, type Io } from './io';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in help, e.g. "N" for `--hidden N`. */
  readonly value?: string;
  readonly help: string;
}

export interface Args {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export interface Context {
  readonly io: Io;
  /** --json: one JSON document on stdout, nothing else. */
  readonly json: boolean;
  /** Prints one line of human output (ignored under --json); control characters in it are shown escaped. */
  print(line?: string): void;
  /** Prints a JSON document (only under --json). */
  printJson(value: unknown): void;
  /** Prints one line on stderr (ignored under --json), escaped like print. */
  note(line: string): void;
}

export interface Command {
  readonly name: string;
  /** One line for `celda --help`. */
  readonly summary: string;
  /** Positional arguments as shown in usage, e.g. "<cell>". */
  readonly args: string;
  readonly minPositionals: number;
  readonly maxPositionals: number;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Paragraphs after the options in `celda <command> --help`. */
  readonly details?: string;
  run(args: Args, ctx: Context): ExitCode | Promise<ExitCode>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', help: 'Print one machine-readable JSON document on stdout.' },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
};

export function parseCommandArgs(command: Command, argv: readonly string[]): Args {
  const options = { ...command.options, ...COMMON_OPTIONS };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short && { short: o.short }) }])),
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError(`${describeParseError(e as Error & { code?: string })} See "celda ${command.name} --help".`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { positionals: parsed.positionals, values };
  const n = parsed.positionals.length;
  if (n < command.minPositionals) {
    throw new UsageError(`celda ${command.name} needs ${command.args}. Usage: ${usageLine(command)}`);
  }
  if (n > command.maxPositionals) {
    throw new UsageError(`celda ${command.name} takes ${command.args === '' ? 'no arguments' : command.args}, got ${n} arguments (${parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}). Usage: ${usageLine(command)}`);
  }
  return { positionals: parsed.positionals, values };
}

/** node:util's parse errors in our words, on one line (its own span several). */
function describeParseError(e: Error & { code?: string }): string {
  const name = /'([^']+)'/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name) return `Unknown option ${name}.`;
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'Too many arguments.';
  const option = /--[A-Za-z0-9-]+/.exec(e.message)?.[0];
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (e.message.includes('ambiguous')) return `${option} needs a value; to give one that starts with "-", write ${option}=VALUE.`;
    if (e.message.includes('argument missing')) return `${option} needs a value.`;
    if (e.message.includes('does not take an argument')) return `${option} takes no value.`;
  }
  const line = e.message.split('\n')[0];
  return line.endsWith('.') ? line : `${line}.`;
}

export function usageLine(command: Command): string {
  return `celda ${[command.name, command.args].filter((part) => part !== '').join(' ')}${Object.keys(command.options).length > 0 ? ' [options]' : ''} [--json]`;
}

export function commandHelp(command: Command): string {
  const options = { ...command.options, ...COMMON_OPTIONS };
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return [flag, o.help] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = [
    `celda ${command.name} — ${command.summary}`,
    '',
    `Usage: ${usageLine(command)}`,
    '',
    'Options:',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}${help}`),
  ];
  if (command.details) lines.push('', command.details);
  lines.push('', EXIT_STATUS_HELP);
  return lines.join('\n');
}

export const EXIT_STATUS_HELP = `Exit status: ${EXIT.ok} ok, ${EXIT.failed} a problem in a file or a failed check, ${EXIT.usage} a usage error (bad option, missing or unreadable path); `
  + `${EXIT.interrupted} stopped by Ctrl-C, ${EXIT.brokenPipe} the output was closed early (as by "| head").`;

// ---------------------------------------------------------------------------
// Option values
// ---------------------------------------------------------------------------

/** A whole number option in [min, max], or `fallback` when absent. */
export function integerOption(args: Args, name: string, min: number, max: number, fallback: number): number;
export function integerOption(args: Args, name: string, min: number, max: number, fallback?: undefined): number | undefined;
export function integerOption(args: Args, name: string, min: number, max: number, fallback?: number): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const value = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(String(raw).slice(0, 40))}.`);
  }
  return value;
}

/** --input / --hidden: 1 … LIMITS.size (further bounded by `max` where a command needs it). */
export function sizeOptions(args: Args, max: number = LIMITS.size): { input?: number; hidden?: number } {
  const input = integerOption(args, 'input', 1, max);
  const hidden = integerOption(args, 'hidden', 1, max);
  return { ...(input !== undefined && { input }), ...(hidden !== undefined && { hidden }) };
}

export const SEED_MAX = 0xffffffff;

export function stringOption(args: Args, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requiredString(args: Args, command: Command, name: string): string {
  const v = stringOption(args, name);
  if (v === undefined || v === '') throw new UsageError(`celda ${command.name} needs --${name} ${command.options[name]?.value ?? 'VALUE'}. Usage: ${usageLine(command)}`);
  return v;
}

/** One of a fixed list of words. */
export function choiceOption<T extends string>(args: Args, name: string, choices: readonly T[], fallback: T): T {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got ${JSON.stringify(v.slice(0, 40))}.`);
  }
  return v as T;
}

export const SIZE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  input: { type: 'string', value: 'N', help: `Input size x_t, 1 to ${LIMITS.size} (default: the cell's).` },
  hidden: { type: 'string', value: 'N', help: `Hidden size, 1 to ${LIMITS.size} (default: the cell's).` },
};
