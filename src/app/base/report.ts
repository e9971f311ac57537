// A one-file report (`vmscope report FILE -o report.html`, src/cli/htmlReport.ts): the page carries
// its dump in two data blocks the CLI wrote before #root, never run as scripts:
//   <script type="application/json" id="vmscope-report">{ what the report is: ReportMeta }</script>
//   <script type="application/octet-stream" id="vmscope-report-dump">base64 of the dump</script>
// The dump is a .vmscope snapshot file (lib/share, addresses hidden unless --addresses) or a
// recording (lib/series/share.ts) for a series. Read once: the page is a report or it is not.
// A report page keeps nothing on this device, registers no service worker and fetches nothing.

export const REPORT_META_ID = 'vmscope-report';
export const REPORT_DUMP_ID = 'vmscope-report-dump';

/** What the heading says about the report, as the CLI wrote it. */
export interface ReportMeta {
  /** The input's name, as given to vmscope report (FILE, FILE@N, or stdin). */
  name: string;
  /** When the report was made: an ISO 8601 time. */
  made: string;
  /** 'hidden': offsets from the first area; 'included': real addresses; 'none': the kernel printed none (hashed, masked or zero pointers). */
  addresses: 'hidden' | 'included' | 'none';
  /** A snapshot (.vmscope file) or a recording (.vmscope-rec) of a series. */
  kind: 'snapshot' | 'recording';
  /** The file name the dump is loaded as (ends in .vmscope or .vmscope-rec). */
  file: string;
  /** The vmscope that wrote it. */
  version: string;
}

export interface Report {
  meta: ReportMeta;
  /** The embedded dump, as a file for the one loader. */
  file: File;
}

function isMeta(x: unknown): x is ReportMeta {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return (
    typeof m.name === 'string' &&
    typeof m.made === 'string' &&
    (m.addresses === 'hidden' || m.addresses === 'included' || m.addresses === 'none') &&
    (m.kind === 'snapshot' || m.kind === 'recording') &&
    typeof m.file === 'string' &&
    typeof m.version === 'string'
  );
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
    return isMeta(meta) ? meta : null;
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
