// Where a command's words go and its input comes from: the process's own streams for the bin
// (run.ts), buffers for the tests (testing.ts's runCli, which runs the CLI in-process). Every
// command writes through the `io` it is given, never to process.stdout or process.stderr itself;
// run.ts alone deals with the process (a closed stdout, the exit code).

import type { Readable, Writable } from 'node:stream';

/** Something text is written to: stderr, for notes, progress and errors. */
export interface TextOut {
  write(chunk: string | Uint8Array): unknown;
}

export interface CliIo {
  /** Reports, rows, links: a stream, as export waits for 'drain' and stops at 'error'. */
  stdout: Writable;
  stderr: TextOut;
  /** What "-" reads. */
  readonly stdin: Readable;
  /** The environment the commands read: VMSCOPE_PROC (record), VMSCOPE_APP_DIR and BROWSER (open). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Only made when "-" is read, as before: process.stdin sets stdin up on first use.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  };
}
