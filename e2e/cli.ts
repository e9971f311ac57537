// The vmscope command run beside a test (vmscope open and open --live serve the built app): from the
// sources through tsx, with the build under test (PW_DIST, else dist/) as the app it serves.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = process.env.PW_DIST ?? `${ROOT}dist`;

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningCli {
  process: ChildProcess;
  /** What it has printed so far. */
  stdout: () => string;
  stderr: () => string;
  /** Its exit code, once it has exited. */
  exited: Promise<number | null>;
}

/** `vmscope ARGS` started with VMSCOPE_APP_DIR at the build under test, plus `env`. */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const cli = spawn(process.execPath, ['src/cli/vmscope.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, VMSCOPE_APP_DIR: DIST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  cli.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  cli.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
  return { process: cli, stdout: () => stdout, stderr: () => stderr, exited };
}
