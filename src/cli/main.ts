// vmscope on the command line.
//
//   vmscope summary FILE|- [--json]     what the dump holds: areas, bytes, kinds, callers, modules
//
// Reads the file (or stdin for "-") in chunks straight into the streaming parser, gunzipping it
// when it starts with the gzip magic. Exits 0 whenever at least one area line was read (problems
// with other lines are reported, not fatal), 1 when nothing could be read, 2 on usage errors.

import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StreamParser, buildModel, summarize } from '../lib/index.ts';
import type { Snapshot } from '../lib/index.ts';
import { formatReport } from './report.ts';

const USAGE = `usage: vmscope summary FILE [--json]

  FILE    a copy of /proc/vmallocinfo (plain or gzip), or - for stdin
  --json  print one JSON object instead of the report

examples:
  sudo cat /proc/vmallocinfo > vm.txt && vmscope summary vm.txt
  sudo cat /proc/vmallocinfo | vmscope summary - --json | jq .topCallers`;

export class UsageError extends Error {}

/** Read a file or stdin into the streaming parser, transparently gunzipping. */
export async function readSnapshot(file: string): Promise<Snapshot> {
  const input: Readable = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  const parser = new StreamParser();
  await once(input, 'readable');
  const head = input.read() as Buffer | null;
  if (head === null) return parser.finish();
  input.unshift(head);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const source: Readable = gzip ? pipeline(input, createGunzip(), () => {}) : input;
  for await (const chunk of source) parser.push(chunk as Buffer);
  return parser.finish();
}

interface Options {
  command: string;
  file: string;
  json: boolean;
}

export function parseArgs(argv: string[]): Options {
  const positional: string[] = [];
  let json = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [command, file, ...rest] = positional;
  if (command !== 'summary') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  if (!file) throw new UsageError('missing FILE (use - for stdin)');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  return { command, file, json };
}

/** Why nothing could be read, in one line, for stderr. */
export function nothingReadReason(s: Snapshot): string {
  if (s.lineCount === 0) return 'the input is empty';
  const first = s.diagnostics[0];
  const where = first ? ` (line ${first.line}: ${first.reason})` : '';
  return `no vmallocinfo area line among ${s.lineCount} line${s.lineCount === 1 ? '' : 's'}${where}`;
}

export async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) process.stderr.write(`vmscope: ${e.message}\n`);
    process.stderr.write(USAGE + '\n');
    return e.message ? 2 : 0;
  }
  let snapshot: Snapshot;
  try {
    snapshot = await readSnapshot(options.file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    process.stderr.write(`vmscope: cannot read ${options.file}: ${why}\n`);
    return 1;
  }
  if (snapshot.count === 0) {
    process.stderr.write(`vmscope: nothing read from ${options.file}: ${nothingReadReason(snapshot)}\n`);
    return 1;
  }
  const model = buildModel(snapshot);
  const summary = summarize(model);
  if (options.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else process.stdout.write(formatReport(options.file, model, summary));
  return 0;
}
