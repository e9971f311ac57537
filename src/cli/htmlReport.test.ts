import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSeries } from '../lib/series/read.ts';
import { decodeRecording } from '../lib/series/recording.ts';
import { decodeShareFile } from '../lib/share/codec.ts';
import { byBigInt, readIndependently } from '../lib/testing/fixtures.ts';
import { REPORT_MARKERS } from './reportPage.ts';
import { runCli } from './testing.ts';

const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));
const X86_AFTER = sample('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
const SERIES = sample('series/host-6.18-hashed-date-Is.txt.gz');

// A template as vite.report.config.ts makes one, small: a module script (with a `<script>` in a
// string, as React's bundle has, escaped the way vite-plugin-singlefile writes it), a classic
// script, a style sheet, and the three markers.
const MODULE = 'const s = `<script>\\x3C/script>`; document.title = s;';
const CLASSIC = 'window.ready = true;';
const STYLE = 'body { color: red; }';
const TEMPLATE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    ${REPORT_MARKERS.csp}
    ${REPORT_MARKERS.title}
    <script type="module" crossorigin>${MODULE}</script>
    <script>${CLASSIC}</script>
    <style rel="stylesheet" crossorigin>${STYLE}</style>
  </head>
  <body>
    ${REPORT_MARKERS.data}
    <div id="root"></div>
  </body>
</html>
`;

const dir = mkdtempSync(join(tmpdir(), 'vmscope-report-'));
mkdirSync(join(dir, 'report'));
writeFileSync(join(dir, 'report', 'template.html'), TEMPLATE);

/** Run `vmscope report ARGS` in-process, its template the small one (VMSCOPE_APP_DIR/report/template.html). */
function report(args: string[]) {
  return runCli(['report', ...args], { env: { VMSCOPE_APP_DIR: dir } });
}

/** What a written report carries, read back with plain string work. */
function readBack(html: string) {
  const meta = /<script type="application\/json" id="vmscope-report">([^<]*)<\/script>/.exec(html);
  const dump = /<script type="application\/octet-stream" id="vmscope-report-dump">([A-Za-z0-9+/=]*)<\/script>/.exec(html);
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)" \/>/.exec(html);
  expect(meta && dump && policy).toBeTruthy();
  const directives = new Map(policy![1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  return { meta: JSON.parse(meta![1]) as Record<string, string>, bytes: new Uint8Array(Buffer.from(dump![1], 'base64')), directives };
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** A log of stamped rounds (date -Is before each dump). */
function stampedLog(names: string[]): { path: string; texts: string[] } {
  const texts = names.map((n) => readFileSync(sample(`kernels/${n}`), 'utf8'));
  const path = join(dir, `${names.length}-rounds.log`);
  writeFileSync(path, texts.map((t, k) => `2026-11-30T00:0${k}:00+00:00\n${t}`).join(''));
  return { path, texts };
}

describe('vmscope report', () => {
  it('embeds a raw dump as a snapshot whose areas and bytes are the file’s, with its addresses hidden', async () => {
    const out = join(dir, 'x86.html');
    const before = Date.now();
    const r = await report([X86_AFTER, '-o', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    const { meta, bytes } = readBack(html);
    const expected = readIndependently(readFileSync(X86_AFTER, 'utf8'));
    const decoded = await decodeShareFile(bytes);
    expect(decoded.snapshot.count).toBe(expected.areas.length);
    let total = 0;
    for (let i = 0; i < decoded.snapshot.count; i++) total += decoded.snapshot.columns.size[i];
    expect(total).toBe(expected.bytes);
    expect(decoded.addressesHidden).toBe(true);
    expect(meta).toMatchObject({ name: 'x86_64-6.1.0-56-after-insmod-raw.vmallocinfo', kind: 'snapshot', addresses: 'hidden' });
    expect(Date.parse(meta.made)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(meta.made)).toBeLessThanOrEqual(Date.now());
    expect(meta.file).toMatch(/\.vmscope$/);
    // Not one of the file's real addresses is in the page, in any spelling.
    for (const a of expected.areas.slice(0, 20)) expect(html.toLowerCase()).not.toContain(a.start!.toString(16));
    expect(r.stderr).toContain(`${expected.areas.length.toLocaleString('en-US')} areas, addresses hidden`);
    expect(r.stderr).toMatch(/x86\.html: [\d.]+ (B|KiB) \(app [\d.]+ (B|KiB) \+ dump [\d.]+ (B|KiB)\)/);
  });

  it('keeps the real addresses with --addresses: the first area starts where the file’s lowest does', async () => {
    const out = join(dir, 'x86-addresses.html');
    expect((await report([X86_AFTER, '--addresses', '-o', out])).code).toBe(0);
    const { meta, bytes } = readBack(readFileSync(out, 'utf8'));
    const decoded = await decodeShareFile(bytes);
    const starts = readIndependently(readFileSync(X86_AFTER, 'utf8')).areas.map((a) => a.start!).sort(byBigInt);
    expect(decoded.addressesHidden).toBe(false);
    expect(meta.addresses).toBe('included');
    const lowest = decoded.snapshot.columns.startHi[0] * 2 ** 32 + decoded.snapshot.columns.startLo[0];
    expect(BigInt(lowest)).toBe(starts[0]);
  });

  it('allows exactly its own inline scripts and styles by hash, and no request of any kind', async () => {
    const out = join(dir, 'policy.html');
    expect((await report([X86_AFTER, '-o', out])).code).toBe(0);
    const { directives } = readBack(readFileSync(out, 'utf8'));
    expect(directives.get('script-src')?.sort()).toEqual([sha256(MODULE), sha256(CLASSIC), "'wasm-unsafe-eval'"].sort());
    expect(directives.get('style-src')).toEqual([sha256(STYLE)]);
    for (const none of ['default-src', 'connect-src', 'form-action', 'base-uri', 'object-src']) expect(directives.get(none)).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(['data:']);
    expect(directives.get('worker-src')).toEqual(['blob:']);
  });

  it('cannot be made to run a script by a file’s name', async () => {
    const evil = join(dir, '"><script>alert(1)<!--.txt');
    writeFileSync(evil, readFileSync(X86_AFTER));
    const out = join(dir, 'evil.html');
    expect((await report([evil, '-o', out])).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>alert(1)');
    // The template's (its two scripts, and the `<script>` in a string of one), and the two data blocks.
    expect(html.match(/<script\b/g)).toHaveLength(TEMPLATE.match(/<script\b/g)!.length + 2);
    const { meta } = readBack(html);
    expect(meta.name).toBe('"><script>alert(1)<!--.txt');
    expect(html).toContain('<title>vmscope report: &#34;&#62;&#60;script&#62;alert(1)&#60;!--.txt</title>');
  });

  it('embeds a log of rounds whole, as a recording whose moments are the rounds, addresses hidden unless asked', async () => {
    const { path, texts } = stampedLog(['x86_64-6.1.0-56-boot-raw.vmallocinfo', 'x86_64-6.1.0-56-after-insmod-raw.vmallocinfo']);
    for (const addresses of [false, true]) {
      const out = join(dir, `log-${addresses}.html`);
      const r = await report([path, '-o', out, ...(addresses ? ['--addresses'] : [])]);
      expect(r.code).toBe(0);
      const { meta, bytes } = readBack(readFileSync(out, 'utf8'));
      expect(meta).toMatchObject({ kind: 'recording', addresses: addresses ? 'included' : 'hidden' });
      const recording = decodeRecording(bytes);
      expect(recording.frames).toHaveLength(texts.length);
      expect(recording.header?.addressesHidden === true).toBe(!addresses);
      const read = readSeries([{ name: meta.file, bytes, mtime: null }]);
      expect(read.kind).toBe('series');
      if (read.kind !== 'series') return;
      texts.forEach((text, k) => {
        const expected = readIndependently(text);
        const snapshot = read.series.snapshot(k);
        let total = 0;
        for (let i = 0; i < snapshot.count; i++) total += snapshot.columns.size[i];
        expect([snapshot.count, total]).toEqual([expected.areas.length, expected.bytes]);
      });
      expect(r.stderr).toContain(`a recording of ${texts.length} moments`);
    }
  });

  it('embeds the real recorded series with every round a moment, and FILE@N as that one moment', async () => {
    const text = gunzipSync(readFileSync(SERIES)).toString('utf8');
    const rounds = text.split(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\n/m).slice(1);
    const whole = join(dir, 'series.html');
    expect((await report([SERIES, '-o', whole])).code).toBe(0);
    const back = readBack(readFileSync(whole, 'utf8'));
    expect(decodeRecording(back.bytes).frames).toHaveLength(rounds.length);
    expect(back.meta).toMatchObject({ kind: 'recording', addresses: 'none' });

    const third = join(dir, 'series-3.html');
    expect((await report([`${SERIES}@3`, '-o', third])).code).toBe(0);
    const one = readBack(readFileSync(third, 'utf8'));
    const decoded = await decodeShareFile(one.bytes);
    const expected = readIndependently(rounds[2]);
    let total = 0;
    for (let i = 0; i < decoded.snapshot.count; i++) total += decoded.snapshot.columns.size[i];
    expect([decoded.snapshot.count, total]).toEqual([expected.areas.length, expected.bytes]);
    expect(one.meta).toMatchObject({ name: 'host-6.18-hashed-date-Is.txt.gz@3', kind: 'snapshot' });
  });

  it('writes the page to stdout with -o -', async () => {
    const r = await report([X86_AFTER, '-o', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(readBack(r.stdout).meta.kind).toBe('snapshot');
  });

  it('names what it embeds once by its kind: a .vmscope file given stays NAME.vmscope, not NAME.vmscope.vmscope', async () => {
    const given = join(dir, 'given.html');
    const shared = join(dir, 'host.vmscope');
    // A .vmscope file made the way vmscope link --out makes one: the report's own embedded snapshot.
    expect((await report([X86_AFTER, '-o', given])).code).toBe(0);
    writeFileSync(shared, readBack(readFileSync(given, 'utf8')).bytes);
    const out = join(dir, 'from-shared.html');
    expect((await report([shared, '-o', out])).code).toBe(0);
    const back = readBack(readFileSync(out, 'utf8'));
    expect(back.meta).toMatchObject({ name: 'host.vmscope', file: 'host.vmscope', addresses: 'hidden' });
    expect((await decodeShareFile(back.bytes)).snapshot.count).toBe(readIndependently(readFileSync(X86_AFTER, 'utf8')).areas.length);
  });

  it('says what is wrong: no -o is a usage error (2), a missing file or moment cannot be read (1)', async () => {
    const noOut = await report([X86_AFTER]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('missing -o');
    const missing = await report([join(dir, 'nope.txt'), '-o', join(dir, 'nope.html')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    const moment = await report([`${X86_AFTER}@2`, '-o', join(dir, 'm.html')]);
    expect(moment.code).toBe(1);
    expect(moment.stderr).toContain('moment 2 of 1 does not exist');
    expect((await report(['--help'])).code).toBe(0);
  });
});
