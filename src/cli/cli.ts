/**
 * `celda <command> [options]`: dispatch, help and error reporting. Every error a
 * user can cause ends as diagnostics and an exit code, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { COMMON_OPTIONS, EXIT_STATUS_HELP, commandHelp, parseCommandArgs, type Command, type Context } from './command';
import { ablateCommand } from './commands/ablate';
import { arenaCommand } from './commands/arena';
import { equationsCommand } from './commands/equations';
import { exportCommand } from './commands/export';
import { gradcheckCommand } from './commands/gradcheck';
import { infoCommand } from './commands/info';
import { initCommand } from './commands/init';
import { runCommand } from './commands/run';
import { sampleCommand } from './commands/sample';
import { studyCommand } from './commands/study';
import { trainCommand } from './commands/train';
import { validateCommand } from './commands/validate';
import { zooCommand } from './commands/zoo';
import { CliError, EXIT, UsageError, formatDiagnostic, stringifyJson, terminalSafe, type ExitCode, type FileDiagnostic, type Io } from './io';

export const COMMANDS: readonly Command[] = [
  validateCommand, infoCommand, equationsCommand, initCommand, runCommand, gradcheckCommand, trainCommand, sampleCommand, studyCommand, arenaCommand, exportCommand, zooCommand, ablateCommand,
];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length)) + 2;
  return [
    'celda — check, inspect and run recurrent cells wired from primitive nodes',
    '',
    'Usage: celda <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    `  --json      ${COMMON_OPTIONS.json.help}`,
    '  -h, --help  Show help; "celda <command> --help" for a command\'s options.',
    '  --version   Print the version.',
    '',
    EXIT_STATUS_HELP,
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  const json = argv.includes('--json');
  const ctx: Context = {
    io,
    json,
    print: (line = '') => { if (!json) io.out(`${terminalSafe(line)}\n`); },
    printJson: (value) => { if (json) io.out(`${stringifyJson(value)}\n`); },
    note: (line) => { if (!json) io.err(`${terminalSafe(line)}\n`); },
  };
  try {
    return await dispatch(argv, ctx);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    report(e.diagnostics, e.exitCode, ctx);
    return e.exitCode;
  }
}

async function dispatch(argv: readonly string[], ctx: Context): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') {
    ctx.io.out(`${mainHelp()}\n`);
    return EXIT.ok;
  }
  if (first === undefined || (first === '--json' && rest.length === 0)) {
    if (ctx.json) throw new UsageError('No command given. See "celda --help".');
    ctx.io.err(`${mainHelp()}\n`);
    return EXIT.usage;
  }
  if (first === '--version') {
    ctx.io.out(`${version()}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    const command = rest[0] === undefined ? undefined : findCommand(rest[0]);
    ctx.io.out(`${command ? commandHelp(command) : mainHelp()}\n`);
    return EXIT.ok;
  }
  const command = findCommand(first);
  const args = parseCommandArgs(command, rest);
  if (args.values.help) {
    ctx.io.out(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  return command.run(args, ctx);
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const shown = JSON.stringify(name.slice(0, 40));
    const hint = name.startsWith('-') ? 'options come after the command' : `the commands are ${COMMANDS.map((c) => c.name).join(', ')}`;
    throw new UsageError(`Unknown command ${shown}: ${hint}. See "celda --help".`);
  }
  return command;
}

function report(diagnostics: readonly FileDiagnostic[], exitCode: ExitCode, ctx: Context): void {
  if (ctx.json) {
    ctx.io.out(`${stringifyJson({ ok: false, exitCode, diagnostics })}\n`);
    return;
  }
  for (const d of diagnostics) ctx.io.err(`${formatDiagnostic(d)}\n`);
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return `celda ${pkg.version ?? 'unknown'}`;
  } catch {
    return 'celda (version unknown)';
  }
}
