/** Entry point of the `celda` command (bin/celda.js loads it through tsx). */
import { runCli } from './cli';
import { processIo, terminalSafe } from './io';

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo);
} catch (e) {
  // A bug in Celda, not in the user's files: say so plainly; the stack only on request.
  process.stderr.write(`celda: internal error: ${terminalSafe(String((e as Error)?.message ?? e))}\n`);
  if (process.env.CELDA_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  else process.stderr.write('Set CELDA_DEBUG=1 to see where it happened, and please report it.\n');
  process.exitCode = 1;
}
