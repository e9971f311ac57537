// Test-only: vmscope run in-process (runCli), as the bin runs it (main.ts's entry) but with its
// stdout and stderr written into strings and its stdin given as bytes, so a test pays for a
// function call instead of starting Node and tsx. What is about the process itself (signals, a
// closed pipe, endless stdin, exit statuses) is in smoke.test.ts, which runs the built bin.

import { Readable, Writable } from 'node:stream';
import type { CliIo } from './io.ts';
import { entry } from './main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** What "-" reads; nothing (an empty stdin, as spawnSync gives) by default. */
  stdin?: string | Uint8Array;
  /** The environment the commands see (VMSCOPE_PROC …); none by default, whatever the test runner's. */
  env?: Record<string, string | undefined>;
  /** Each line of stderr, as soon as it is written (a test acts on progress lines). */
  onStderrLine?: (line: string) => void;
  /** Each line of stdout, as soon as it is written (a test reads the URL vmscope open serves at). */
  onStdoutLine?: (line: string) => void;
}

/** Bytes as a pipe gives them: in chunks of 64 KiB, then the end. */
function stdinOf(input: string | Uint8Array): Readable {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 1 << 16) chunks.push(bytes.subarray(at, at + (1 << 16)));
  let next = 0;
  return new Readable({
    read() {
      this.push(next < chunks.length ? chunks[next++] : null);
    },
  });
}

/** A stream keeping what is written to it; `onLine` sees each complete line as it comes. */
function sink(onLine?: (line: string) => void): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  let partial = '';
  const decoder = new TextDecoder();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      if (onLine) {
        const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
        partial = lines.pop()!;
        for (const line of lines) onLine(line);
      }
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** An io whose stdout and stderr are kept in strings (read them with stdout() and stderr()). */
export function captureIo(options: CliOptions = {}): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out = sink(options.onStdoutLine);
  const err = sink(options.onStderrLine);
  const io: CliIo = { stdout: out.stream, stderr: err.stream, stdin: stdinOf(options.stdin ?? ''), env: options.env ?? {} };
  return { io, stdout: out.text, stderr: err.text };
}

/** `vmscope ...args` in-process: its exit code and all it wrote to stdout and stderr. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const { io, stdout, stderr } = captureIo(options);
  const code = await entry(args, io);
  return { code, stdout: stdout(), stderr: stderr() };
}
