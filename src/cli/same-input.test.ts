import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../app/worker/analyze.ts';
import { unpackModel } from '../lib/index.ts';
import { fixture } from '../lib/testing/fixtures.ts';
import { readCapture } from './main.ts';
import { captureIo, runCli } from './testing.ts';

// The app's parse worker (analyze) and the CLI (readCapture, and the vmscope command itself) given
// the same bytes must read the same areas, raise the same diagnostics and find the same sections.

const dir = mkdtempSync(join(tmpdir(), 'vmscope-same-'));
const dump = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
const meminfo = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.meminfo');
const modules = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.modules');
const combined = dump + meminfo + modules;

const inputs: Array<[string, Buffer]> = [
  ['a combined capture (cat /proc/vmallocinfo /proc/meminfo /proc/modules)', Buffer.from(combined)],
  ['a pasted terminal session with prompts', Buffer.from(`root@box:~# cat /proc/vmallocinfo\n${dump}root@box:~# cat /proc/modules\n${modules}root@box:~# `)],
  ['the combined capture saved by Windows PowerShell 5 (UTF-16LE, BOM, CRLF)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(combined.replace(/\n/g, '\r\n'), 'utf16le')])],
  ['the dump with CR-only line ends', Buffer.from(dump.replace(/\n/g, '\r'))],
  ['a dump with damaged lines', Buffer.from(dump.replace(/\n0x/, '\n0x(____ptrval____-0x').replace(/ pages=\d+/, ' pages=99999999999999999999'))],
];

describe('the app and the CLI read an input alike', () => {
  for (const [what, bytes] of inputs) {
    it(`reads ${what} to the same areas, diagnostics and sections`, async () => {
      const file = join(dir, `in-${inputs.findIndex((x) => x[1] === bytes)}.txt`);
      writeFileSync(file, bytes);
      const cli = await readCapture(file, captureIo().io);
      const app = analyze(new Uint8Array(bytes)).result;
      const appModel = unpackModel(app.packed);
      expect(cli.snapshot.facts()).toEqual(appModel.snapshot.facts());
      expect(cli.snapshot.diagnostics).toEqual(app.diagnostics);
      expect([...cli.snapshot.areas()]).toEqual([...appModel.snapshot.areas()]);
      expect(cli.modules).toEqual(app.capture.modules);
      expect(cli.facts && { ...cli.facts }).toMatchObject({ ...app.capture });
    });
  }

  it('prints the same totals from the vmscope command, gzipped through stdin, as the app finds', async () => {
    const bytes = inputs[2][1];
    const r = await runCli(['summary', '-', '--json'], { stdin: gzipSync(bytes) });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const app = analyze(new Uint8Array(bytes)).result.summary;
    expect([json.areas, json.bytes, json.pages, json.diagnostics, json.warnings]).toEqual([app.areas, app.bytes, app.pages, app.diagnostics, app.warnings]);
    expect(r.stderr).toMatch(/read as UTF-16LE with a byte-order mark; also found: \/proc\/meminfo \(\d+ lines\), \/proc\/modules \(\d+ lines\)/);
  });
});
