/**
 * The child process of tests/cli/fuzz.test.ts: runs `celda` commands in-process
 * (runCli), one per message, in the folder it is given, and sends back the exit
 * status and everything written — through the Io and straight to process.stdout
 * or process.stderr (training progress) — or the exception that escaped runCli.
 * Run in a child so that the test can kill a call that hangs or runs out of memory.
 */
import { runCli } from '../../src/cli/cli';

export interface FuzzRequest {
  readonly index: number;
  readonly argv: readonly string[];
}

export interface FuzzReply {
  readonly index: number;
  readonly status?: number;
  readonly stdout: string;
  readonly stderr: string;
  /** An exception runCli let through: in the real command, an "internal error". */
  readonly thrown?: string;
}

type Write = typeof process.stdout.write;

/** Runs `run` with process.stdout/stderr writes collected instead of printed. */
async function capturing<T>(run: (out: (t: string) => void, err: (t: string) => void) => Promise<T>): Promise<{ value?: T; error?: unknown; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = (t: string) => { stdout += t; };
  const err = (t: string) => { stderr += t; };
  const [realOut, realErr] = [process.stdout.write, process.stderr.write];
  const collect = (sink: (t: string) => void): Write => ((chunk: string | Uint8Array) => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as Write;
  process.stdout.write = collect(out);
  process.stderr.write = collect(err);
  try {
    return { value: await run(out, err), stdout, stderr };
  } catch (error) {
    return { error, stdout, stderr };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
}

process.chdir(process.argv[2]);
process.on('message', (message: FuzzRequest) => {
  void capturing((out, err) => runCli(message.argv, { out, err })).then(({ value, error, stdout, stderr }) => {
    const reply: FuzzReply = error === undefined
      ? { index: message.index, status: value, stdout, stderr }
      : { index: message.index, stdout, stderr, thrown: (error as Error)?.stack ?? String(error) };
    process.send?.(reply);
  });
});
process.send?.({ index: -1, stdout: '', stderr: '' } satisfies FuzzReply);
