import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { groupSamples, isSafeSamplePath, readManifest } from './samples.ts';

const samplesDir = fileURLToPath(new URL('../../../public/samples/', import.meta.url));
const raw: unknown = JSON.parse(readFileSync(samplesDir + 'index.json', 'utf8'));

/** Every bundled dump: the single captures, and the recorded series (gzip). */
function dumpsOnDisk(): string[] {
  return ['kernels', 'seeds', 'series'].flatMap((dir) =>
    readdirSync(samplesDir + dir)
      .filter((f) => f.endsWith('.vmallocinfo') || (dir === 'series' && f.endsWith('.gz')))
      .map((f) => `${dir}/${f}`),
  );
}

describe('the sample manifest', () => {
  it('lists every bundled vmallocinfo dump exactly once', () => {
    const listed = readManifest(raw).samples.map((s) => s.path);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(dumpsOnDisk().sort());
  });

  it('defaults to the x86_64 6.1 raw capture taken after insmod', () => {
    expect(readManifest(raw).default).toBe('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo');
  });

  it('names companion files that exist next to their dump', () => {
    const onDisk = new Set(['kernels', 'seeds'].flatMap((d) => readdirSync(samplesDir + d).map((f) => `${d}/${f}`)));
    for (const s of readManifest(raw).samples) {
      if (s.meminfo) expect(onDisk.has(s.meminfo)).toBe(true);
      if (s.modules) expect(onDisk.has(s.modules)).toBe(true);
    }
  });

  it('keeps the menu in manifest order, grouped by heading', () => {
    const groups = groupSamples(readManifest(raw).samples).map(([g]) => g);
    expect(groups).toEqual(['Real kernel captures', 'Quoted on the web', 'Recorded series']);
  });

  it('labels the recorded series with its real count of moments and its span in minutes', () => {
    const entry = readManifest(raw).samples.find((s) => s.path.startsWith('series/'))!;
    const text = gunzipSync(readFileSync(samplesDir + entry.path)).toString('utf8');
    const stamps = text.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(l));
    const minutes = Math.round((Date.parse(stamps[stamps.length - 1]) - Date.parse(stamps[0])) / 60000);
    expect(entry.group).toBe('Recorded series');
    expect(entry.label).toContain(`${stamps.length} moments, ${minutes} min`);
  });

  it('drops entries whose path could leave the samples folder', () => {
    const m = readManifest({
      version: 1,
      default: '../secret',
      samples: [
        { path: '../etc/passwd', label: 'x' },
        { path: 'https://example.com/a', label: 'x' },
        { path: 'kernels/a.vmallocinfo', label: 'ok' },
      ],
    });
    expect(m.samples.map((s) => s.path)).toEqual(['kernels/a.vmallocinfo']);
    expect(m.default).toBe('kernels/a.vmallocinfo');
    expect(isSafeSamplePath('kernels/../x')).toBe(false);
  });

  it('rejects something that is not a manifest at all', () => {
    expect(() => readManifest([1, 2, 3])).toThrow(/manifest/);
  });
});
