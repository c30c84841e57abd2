/** Entry point of the `celda` command (bin/celda.js loads it through tsx). */
import { runCli } from './cli';
import { EXIT, describeFsError, processIo, terminalSafe } from './io';

/**
 * Output written to a pipe whose reader has gone (`celda init c.json | head -c 10`)
 * fails with EPIPE: end at once and quietly, as a command stopped by SIGPIPE does.
 * Any other failure to write is said in one line on stderr, when stderr still works.
 */
function endWhenOutputCloses(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.brokenPipe);
    if (stream !== process.stderr) process.stderr.write(`celda: cannot write to ${name}: ${describeFsError(e)}\n`);
    process.exit(EXIT.failed);
  });
}

endWhenOutputCloses(process.stdout, 'stdout');
endWhenOutputCloses(process.stderr, 'stderr');

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo);
} catch (e) {
  // A bug in Celda, not in the user's files: say so plainly; the stack only on request.
  process.stderr.write(`celda: internal error: ${terminalSafe(String((e as Error)?.message ?? e))}\n`);
  if (process.env.CELDA_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  else process.stderr.write('Set CELDA_DEBUG=1 to see where it happened, and please report it.\n');
  process.exitCode = 1;
}
