// The one-file report's contract between the CLI that writes it (src/cli/reportPage.ts) and the
// page that reads it (src/app/base/report.ts): two data blocks before #root, never run as scripts:
//   <script type="application/json" id="vmscope-report">{ ReportMeta }</script>
//   <script type="application/octet-stream" id="vmscope-report-dump">base64 of the dump</script>

export const REPORT_META_ID = 'vmscope-report';
export const REPORT_DUMP_ID = 'vmscope-report-dump';

/** What the page's heading says about the report, as the CLI wrote it. */
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

/** A ReportMeta, checked field by field (the page reads it from its own text, but as untrusted JSON). */
export function isReportMeta(x: unknown): x is ReportMeta {
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
