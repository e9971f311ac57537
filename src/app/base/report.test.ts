import { describe, expect, it } from 'vitest';
import { REPORT_DUMP_ID, REPORT_META_ID, fromBase64, readReport, reportLine } from './report.ts';
import type { ReportMeta } from './report.ts';

const META: ReportMeta = { name: 'vm.txt', made: '2026-11-30T07:00:00.000Z', addresses: 'hidden', kind: 'snapshot', file: 'vm.txt.vmscope', version: '0.1.0' };

/** A document holding these element texts by id. */
function doc(texts: Record<string, string>) {
  return { getElementById: (id: string) => (id in texts ? ({ textContent: texts[id] } as HTMLElement) : null) };
}

describe('a report page’s data blocks', () => {
  it('give the embedded bytes as a file of the name the CLI chose', async () => {
    const bytes = Buffer.from([0x56, 0x4d, 0x53, 0x43, 0x4f, 0x50, 0x45, 0x0a, 0, 255]);
    const got = readReport(doc({ [REPORT_META_ID]: JSON.stringify(META), [REPORT_DUMP_ID]: `\n${bytes.toString('base64')}\n` }));
    expect(got?.meta).toEqual(META);
    expect(got?.file.name).toBe('vm.txt.vmscope');
    expect(Buffer.from(await got!.file.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('make no report when either is missing or unreadable: the page is the app as served', () => {
    const dump = Buffer.from('x').toString('base64');
    expect(readReport(doc({}))).toBeNull();
    expect(readReport(doc({ [REPORT_META_ID]: JSON.stringify(META) }))).toBeNull();
    expect(readReport(doc({ [REPORT_META_ID]: '{', [REPORT_DUMP_ID]: dump }))).toBeNull();
    expect(readReport(doc({ [REPORT_META_ID]: JSON.stringify({ ...META, addresses: 'some' }), [REPORT_DUMP_ID]: dump }))).toBeNull();
    expect(readReport(doc({ [REPORT_META_ID]: JSON.stringify(META), [REPORT_DUMP_ID]: '%%%' }))).toBeNull();
  });

  it('decode base64 as Node does', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, k) => k));
    expect(Buffer.from(fromBase64(bytes.toString('base64'))).equals(bytes)).toBe(true);
  });

  it('say in the heading what the report is, when it was made and what became of the addresses', () => {
    expect(reportLine(META)).toBe('Report of vm.txt (a snapshot), made 2026-11-30 07:00 UTC by vmscope 0.1.0; addresses hidden (offsets from the first area). Everything is in this file: nothing is fetched.');
    expect(reportLine({ ...META, kind: 'recording', addresses: 'included' })).toContain('(a recording)');
    expect(reportLine({ ...META, addresses: 'included' })).toContain('real kernel addresses included');
    expect(reportLine({ ...META, addresses: 'none' })).toContain('the kernel printed no real addresses');
  });
});
