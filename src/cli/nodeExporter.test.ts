// vmscope metrics against the real thing: Debian's prometheus-node-exporter reads vmscope's file
// through its textfile collector and serves it on /metrics, and Debian's promtool (package
// `prometheus`) checks the text. CI installs both (.ci/run) and sets CI, so there a missing binary
// fails the test; elsewhere, without them, only the parser's reading is checked (and said so).

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { metricsText } from '../lib/analysis/metrics.ts';
import { buildModel } from '../lib/model/model.ts';
import { parse } from '../lib/parse/scanner.ts';
import { fixtures, readIndependently } from '../lib/testing/fixtures.ts';
import { familySum, parseStrictly, sampleValue } from '../lib/testing/prometheus.ts';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const PROMTOOL = '/usr/bin/promtool';
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DUMP = fileURLToPath(new URL('../../public/samples/kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo', import.meta.url));

/** The binary, or null when it is missing outside CI; in CI a missing one fails the test, saying what to install. */
function need(path: string, pkg: string): string | null {
  if (existsSync(path)) return path;
  if (inCi) throw new Error(`${path} is missing: CI must install Debian's ${pkg} (.ci/run does: apt-get install -y prometheus-node-exporter prometheus)`);
  console.warn(`note: ${path} is not installed (Debian's ${pkg}); only the parser's reading of vmscope's metrics was checked`);
  return null;
}

/** vmscope metrics of the dump written with -o into a fresh folder. */
function writeMetrics(): { dir: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vmscope-textfile-'));
  const out = join(dir, 'vmalloc.prom');
  const r = spawnSync(process.execPath, ['src/cli/vmscope.mjs', 'metrics', DUMP, '-o', out, '--top', '5'], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return { dir, text: readFileSync(out, 'utf8') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});

describe('vmscope metrics and Prometheus itself', () => {
  it("node_exporter's textfile collector serves vmscope's families with the dump's values", async () => {
    const { dir, text } = writeMetrics();
    const expected = readIndependently(readFileSync(DUMP, 'utf8'));
    const binary = need(NODE_EXPORTER, 'prometheus-node-exporter');
    const scraped = binary ? await scrape(binary, dir) : text;
    const families = parseStrictlyIgnoringOthers(scraped);
    expect(familySum(families, 'vmscope_vmalloc_bytes')).toBe(expected.bytes);
    expect(familySum(families, 'vmscope_vmalloc_caller_bytes')).toBe(expected.bytes);
    expect(sampleValue(families, 'vmscope_vmalloc_bytes', { kind: 'unpurged' })).toBe(expected.kinds.unpurged.bytes);
    expect(sampleValue(families, 'vmscope_vmalloc_lazily_freed_bytes')).toBe(expected.kinds.unpurged.bytes);
    expect(sampleValue(families, 'vmscope_vmalloc_module_bytes', { module: 'zram' })).toBe(expected.modules.zram.bytes);
    expect(sampleValue(families, 'vmscope_dump_info', { pointer_mode: 'raw' })).toBe(1);
    expect(sampleValue(families, 'vmscope_vmalloc_largest_free_hole_bytes')).toBeGreaterThan(0);
    expect(families.get('vmscope_vmalloc_caller_bytes')!.metrics).toHaveLength(6);
  }, 30_000);

  it('node_exporter serves hostile caller and module names with the same text the dump gave them', async () => {
    const names = ['we"ird\\fn', 'a{b="c",d}', 'x\\"y', 'comma,eq=', 'é✓中'];
    const dump = names.map((n, k) => `0xffffc900000${k}0000-0xffffc900000${k}5000   20480 ${n}+0x1/0x2 [${n}_m] pages=4 vmalloc`).join('\n') + '\n';
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-textfile-'));
    const r = spawnSync(process.execPath, ['src/cli/vmscope.mjs', 'metrics', '-', '-o', join(dir, 'vmalloc.prom')], { cwd: root, input: dump, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const binary = need(NODE_EXPORTER, 'prometheus-node-exporter');
    const families = parseStrictlyIgnoringOthers(binary ? await scrape(binary, dir) : readFileSync(join(dir, 'vmalloc.prom'), 'utf8'));
    for (const n of names) {
      expect(sampleValue(families, 'vmscope_vmalloc_caller_bytes', { caller: n })).toBe(20480);
      expect(sampleValue(families, 'vmscope_vmalloc_module_bytes', { module: `${n}_m` })).toBe(20480);
    }
  }, 30_000);

  it('promtool check metrics finds nothing to say about the metrics of any real dump', () => {
    const binary = need(PROMTOOL, 'prometheus');
    for (const f of fixtures()) {
      const text = metricsText(buildModel(parse(f.text)));
      parseStrictly(text);
      if (!binary) continue;
      const r = spawnSync(binary, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(r.stdout + r.stderr, f.path).toBe('');
      expect(r.status, f.path).toBe(0);
    }
  });

  it('promtool check metrics finds nothing to say about the text', () => {
    const { text } = writeMetrics();
    const binary = need(PROMTOOL, 'prometheus');
    if (binary) {
      const r = spawnSync(binary, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    parseStrictly(text);
  });
});

describe('the example Grafana dashboard (docs/grafana/vmscope.json)', () => {
  interface Panel {
    title: string;
    datasource: { uid: string };
    targets: Array<{ expr: string; datasource: { uid: string } }>;
  }
  const dashboard = JSON.parse(readFileSync(join(root, 'docs/grafana/vmscope.json'), 'utf8')) as { __inputs: Array<{ name: string; pluginId: string }>; panels: Panel[]; templating: { list: Array<{ name: string; definition?: string }> } };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));

  it('imports with a ${DS_PROMETHEUS} input that every panel and query uses', () => {
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' })]);
    for (const p of dashboard.panels) {
      expect(p.datasource.uid).toBe('${DS_PROMETHEUS}');
      for (const t of p.targets) expect(t.datasource.uid).toBe('${DS_PROMETHEUS}');
    }
    expect(dashboard.panels.map((p) => p.title)).toEqual(['Bytes by kind', 'Top callers', 'Largest free hole', 'Lazily freed']);
  });

  it('queries only families vmscope metrics writes for a raw dump', () => {
    const { text } = writeMetrics();
    const families = new Set(parseStrictly(text).keys());
    const named = [...exprs, ...dashboard.templating.list.map((v) => v.definition ?? '')].flatMap((e) => e.match(/vmscope_[a-z_]+/g) ?? []);
    expect(named.length).toBeGreaterThan(4);
    for (const name of named) expect(families, name).toContain(name);
  });

  it('has queries promtool reads as PromQL (checked as recording rules, the variables filled in)', () => {
    const binary = need(PROMTOOL, 'prometheus');
    if (!binary) return;
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-rules-'));
    const rules = exprs.map((e, k) => `      - record: vmscope:panel${k}\n        expr: ${JSON.stringify(e.replaceAll('$instance', '.*').replaceAll('$top', '10'))}\n`).join('');
    writeFileSync(join(dir, 'rules.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules}`);
    const r = spawnSync(binary, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

/**
 * node_exporter on a free loopback port with only its textfile collector, reading `dir`: the body of
 * one scrape of /metrics, after checking the collector read every file without an error.
 */
async function scrape(binary: string, dir: string): Promise<string> {
  const port = await freePort();
  const child = spawn(binary, [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${dir}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 15_000;
  let body: string | null = null;
  try {
    while (body === null) {
      if (child.exitCode !== null) throw new Error(`node_exporter exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`node_exporter did not answer on 127.0.0.1:${port} within 15 s:\n${log}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`);
        if (response.ok) body = await response.text();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  expect(sampleValue(parseStrictlyIgnoringOthers(body), 'node_textfile_scrape_error'), log).toBe(0);
  return body;
}

/**
 * A scrape holds node_exporter's own families too (of other types, some without HELP): the
 * parser reads them all, and vmscope's and the collector's are checked strictly.
 */
function parseStrictlyIgnoringOthers(text: string) {
  const kept = text
    .split('\n')
    .filter((line) => /^(# (HELP|TYPE) )?(vmscope_|node_textfile_scrape_error)/.test(line))
    .join('\n');
  return parseStrictly(kept + '\n');
}
