// A one-file report (`vmscope report FILE -o report.html`, src/cli/htmlReport.ts): the page carries
// its dump in two data blocks the CLI wrote before #root, never run as scripts:
//   <script type="application/json" id="vmscope-report">{ what the report is: ReportMeta }</script>
//   <script type="application/octet-stream" id="vmscope-report-dump">base64 of the dump</script>
// The dump is a .vmscope snapshot file (lib/share, addresses hidden unless --addresses) or a
// recording (lib/series/share.ts) for a series. Read once: the page is a report or it is not.
// A report page keeps nothing on this device, registers no service worker and fetches nothing.

import { REPORT_DUMP_ID, REPORT_META_ID, isReportMeta } from '../../lib/share/report.ts';
import type { ReportMeta } from '../../lib/share/report.ts';

export { REPORT_DUMP_ID, REPORT_META_ID };
export type { ReportMeta };

export interface Report {
  meta: ReportMeta;
  /** The embedded dump, as a file for the one loader. */
  file: File;
}

/** Base64 (RFC 4648 §4, blanks allowed) to bytes. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) bytes[k] = binary.charCodeAt(k);
  return bytes;
}

/** The report this page carries, or null for the app as served (no data blocks, or unreadable ones). */
export function readReport(doc: Pick<Document, 'getElementById'>): Report | null {
  const meta = readMeta(doc);
  const dumpText = doc.getElementById(REPORT_DUMP_ID)?.textContent;
  if (meta === null || dumpText == null) return null;
  try {
    return { meta, file: new File([fromBase64(dumpText).slice().buffer], meta.file) };
  } catch {
    return null;
  }
}

let cached: ReportMeta | null | undefined;

/** What the report on this page is, or null when the page is not one (read once). */
export function reportMeta(): ReportMeta | null {
  if (cached === undefined) cached = typeof document === 'undefined' ? null : readMeta(document);
  return cached;
}

function readMeta(doc: Pick<Document, 'getElementById'>): ReportMeta | null {
  const text = doc.getElementById(REPORT_META_ID)?.textContent;
  if (text == null) return null;
  try {
    const meta: unknown = JSON.parse(text);
    return isReportMeta(meta) ? meta : null;
  } catch {
    return null;
  }
}

/** The heading's line about the report: its name, when it was made, what became of the addresses. */
export function reportLine(meta: ReportMeta): string {
  const made = new Date(meta.made);
  const when = Number.isNaN(made.getTime()) ? meta.made : made.toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  const what = meta.kind === 'recording' ? 'a recording' : 'a snapshot';
  const addresses =
    meta.addresses === 'hidden' ? 'addresses hidden (offsets from the first area)' : meta.addresses === 'included' ? 'real kernel addresses included' : 'the kernel printed no real addresses';
  return `Report of ${meta.name} (${what}), made ${when} by vmscope ${meta.version}; ${addresses}. Everything is in this file: nothing is fetched.`;
}
