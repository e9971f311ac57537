// The one-file report's page: the template vite.report.config.ts builds (the whole app, its scripts
// and styles inline, the parse worker inside as a string) filled in for one dump. Pure (strings and
// hashes), so the CSP and the data blocks are tested without a build.
//
// The page must make no request at all, so the policy allows nothing but what is in the file:
//   default-src 'none'; script-src 'sha256-…' (each inline script, hashed here as written);
//   style-src 'sha256-…' (each inline <style>); img-src data: (the icon); worker-src blob: (the
//   parse worker, started from its own text); connect-src 'none'; form-action 'none';
//   base-uri 'none'; object-src 'none'.
// The dump goes in a data block (<script type="application/octet-stream">), which a browser never
// runs and the policy does not govern; src/app/base/report.ts reads it back.

import { createHash } from 'node:crypto';
import { REPORT_DUMP_ID as DUMP_ID, REPORT_META_ID as META_ID } from '../lib/share/report.ts';
import type { ReportMeta } from '../lib/share/report.ts';

export type { ReportMeta };

/** The markers in the template (vite.report.config.ts puts them there) for what each report fills in. */
export const REPORT_MARKERS = { csp: '<!--vmscope-report:csp-->', title: '<!--vmscope-report:title-->', data: '<!--vmscope-report:data-->' } as const;

/** Text for an HTML element's content or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that cannot end the script element holding it (no `<` at all) nor break a line in old parsers. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** 'sha256-…' of an inline element's text, as a CSP source expression. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The text of each inline <script> that runs (no src; a JavaScript or module type) and of each <style>. */
export function inlineCode(html: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  // Lazy to the first closing tag: inlined code never holds one (vite-plugin-singlefile writes
  // `\x3C/script>`, and a style sheet has no reason to).
  for (const m of html.matchAll(/<(script|style)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi)) {
    const [, tag, attrs, text] = m;
    if (tag.toLowerCase() === 'style') {
      styles.push(text);
      continue;
    }
    if (/\bsrc\s*=/i.test(attrs)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase() ?? '';
    if (type === '' || type === 'module' || type === 'text/javascript' || type === 'application/javascript') scripts.push(text);
  }
  return { scripts, styles };
}

/** The report's Content-Security-Policy for a page whose inline scripts and styles are these. */
export function reportPolicy(code: { scripts: string[]; styles: string[] }): string {
  const hashes = (texts: string[]) => [...new Set(texts.map(cspHash))].join(' ') || "'none'";
  return [
    "default-src 'none'",
    // 'wasm-unsafe-eval': the parse worker (a blob: worker, under this policy) unpacks xz in WebAssembly.
    `script-src ${hashes(code.scripts)} 'wasm-unsafe-eval'`,
    `style-src ${hashes(code.styles)}`,
    'img-src data:',
    'worker-src blob:',
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

export class TemplateError extends Error {}

/** The template filled in: the title, the data blocks, and the policy over the page's own inline code. */
export function fillReport(template: string, meta: ReportMeta, dump: Uint8Array): string {
  for (const marker of Object.values(REPORT_MARKERS)) {
    const at = template.indexOf(marker);
    if (at < 0 || template.indexOf(marker, at + 1) >= 0) throw new TemplateError(`the report template has ${at < 0 ? 'no' : 'more than one'} ${marker}: rebuild it (npm run build)`);
  }
  const data =
    `<script type="application/json" id="${META_ID}">${scriptJson(meta)}</script>\n` +
    `    <script type="application/octet-stream" id="${DUMP_ID}">${Buffer.from(dump.buffer, dump.byteOffset, dump.byteLength).toString('base64')}</script>`;
  const withData = template
    .replace(REPORT_MARKERS.title, () => `<title>vmscope report: ${escapeHtml(meta.name)}</title>`)
    .replace(REPORT_MARKERS.data, () => data);
  // The policy is over what runs; the data blocks do not (and the meta tag itself holds no script).
  const policy = reportPolicy(inlineCode(withData));
  // Hashes are base64 and the rest is keywords: nothing in it needs escaping in a double-quoted attribute.
  return withData.replace(REPORT_MARKERS.csp, () => `<meta http-equiv="Content-Security-Policy" content="${policy}" />`);
}
