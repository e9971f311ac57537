// The human-readable summary report: short, aligned, exact numbers beside friendly ones.

import { EVIDENCE_WORDS, evidenceWords, formatBytes, formatCount } from '../lib/index.ts';
import type { Model, Summary } from '../lib/index.ts';

const MODE_TEXT: Record<string, string> = {
  raw: 'raw (real addresses: layout, holes and guard pages are exact)',
  hashed: 'hashed (kptr_restrict=0: sizes, callers and totals are exact; addresses only show adjacency)',
  masked: 'masked (____ptrval____: sizes, callers and totals are exact; no addresses)',
  zero: 'zeroed (kptr_restrict=2 or no CAP_SYSLOG: sizes, callers and totals are exact; no addresses)',
  unknown: 'unknown (no area lines)',
};

/** %pK prints real addresses to root (CAP_SYSLOG) under kptr_restrict=1; 0 hashes them, 2 zeroes them. */
export const REAL_ADDRESSES_HINT = 'for real addresses: read it as root with kernel.kptr_restrict=1, or boot with no_hash_pointers';

function table(rows: string[][], indent = '    '): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => indent + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

function bytesCell(bytes: number): string {
  return `${formatBytes(bytes)}`;
}

/** "start: the areas in the dump; end: the documented layout", short. */
function boundsFrom(start: keyof typeof EVIDENCE_WORDS, end: keyof typeof EVIDENCE_WORDS): string {
  const word = { meminfo: 'meminfo', release: 'kernel version', areas: 'areas', preset: 'preset' };
  return start === end ? `from ${word[start]}` : `start from ${word[start]}, end from ${word[end]}`;
}

export function formatReport(file: string, model: Model, s: Summary): string {
  const out: string[] = [];
  out.push(`${file === '-' ? '(stdin)' : file}`);
  out.push(
    `  ${formatCount(s.areas)} areas in ${formatCount(s.lines)} lines · ${formatBytes(s.bytes)} (${formatCount(s.bytes)} bytes)` +
      ` · ${formatCount(s.pages)} pages backed (${formatBytes(s.pages * 4096)}) · guard pages ${formatBytes(s.guardBytes)}`,
  );
  out.push(`  pointers: ${MODE_TEXT[s.pointerMode]}`);
  if (s.pointerMode === 'hashed' || s.pointerMode === 'zero') out.push(`  ${REAL_ADDRESSES_HINT}`);
  if (s.sorted === false) out.push('  order: not sorted by address in the file (normal for 6.9+ kernels and lazily freed areas); sorted here');
  if (s.layout) {
    out.push(`  layout: ${s.layout}`);
    out.push(table(s.regions.map((r) => [r.label, `${r.start}–${r.end}`, boundsFrom(r.startFrom, r.endFrom)])));
    if (s.layoutEvidence.length > 0) out.push(`  vmalloc range fixed by ${evidenceWords(s.layoutEvidence)}`);
    for (const note of s.layoutNotes) out.push(`    ${note}`);
  } else if (s.pointerMode === 'raw') out.push('  layout: no known preset matches these addresses');
  if (s.vmallocFreeBytes !== null && s.vmallocHoles !== null)
    out.push(`  free in the vmalloc range: ${formatBytes(s.vmallocFreeBytes)} in ${formatCount(s.vmallocHoles)} hole${s.vmallocHoles === 1 ? '' : 's'}`);
  if (s.largestFreeVmallocBytes !== null)
    out.push(`  largest free stretch of the vmalloc range: ${formatBytes(s.largestFreeVmallocBytes)} (its edges included)`);
  if (s.largestVmallocHoleBytes !== null)
    out.push(`  largest free hole between areas in the vmalloc range: ${formatBytes(s.largestVmallocHoleBytes)}`);
  if (model.overlaps > 0) out.push(`  overlapping areas: ${model.overlaps} (the file is a live read; areas can change while it is printed)`);

  out.push('', '  by kind');
  const kinds = Object.entries(s.kinds).filter(([, t]) => t.count > 0).sort((a, b) => b[1].bytes - a[1].bytes);
  out.push(table([['kind', 'areas', 'bytes'], ...kinds.map(([k, t]) => [k, formatCount(t.count), bytesCell(t.bytes)])]));

  if (s.topCallers.length > 0) {
    out.push('', `  top callers by bytes`);
    out.push(table([['caller', 'areas', 'bytes'], ...s.topCallers.map((c) => [c.function, formatCount(c.count), bytesCell(c.bytes)])]));
  }
  const modules = Object.entries(s.modules);
  if (modules.length > 0) {
    const check = s.moduleCheck;
    if (check) {
      out.push('', '  modules (loader areas by /proc/modules, every section since 6.4, and [module] tags)');
      const agrees = (m: string) => {
        const c = check[m];
        if (!c) return '';
        const areas = `${c.loaderAreas} ${c.loaderAreas === 1 ? 'area' : 'areas'}`;
        if (c.agreement === 'exact') return `${areas}: lsmod's ${formatCount(c.lsmodBytes)} + ${c.loaderAreas} guard ${c.loaderAreas === 1 ? 'page' : 'pages'}`;
        return c.agreement === 'unknown' ? 'address hidden' : `${areas}: cannot be made to agree with lsmod's ${formatCount(c.lsmodBytes)}`;
      };
      out.push(table([['module', 'areas', 'bytes', 'loader areas against lsmod'], ...modules.map(([m, t]) => [m, formatCount(t.count), bytesCell(t.bytes), agrees(m)])]));
    } else {
      out.push('', '  modules ([module] tags on callers; add --modules for their loader areas)');
      out.push(table([['module', 'areas', 'bytes'], ...modules.map(([m, t]) => [m, formatCount(t.count), bytesCell(t.bytes)])]));
    }
  }
  const nodes = Object.entries(s.nodes);
  if (nodes.length > 0) out.push('', `  NUMA pages: ${nodes.map(([n, p]) => `${n}=${formatCount(p)}`).join(' ')}`);

  const d = model.snapshot;
  if (d.diagnosticCount > 0) {
    out.push('', `  ${d.errorCount} line${d.errorCount === 1 ? '' : 's'} skipped, ${d.warningCount} warning${d.warningCount === 1 ? '' : 's'}`);
    for (const diag of d.diagnostics.slice(0, 10)) out.push(`    line ${diag.line}: ${diag.severity}: ${diag.reason}`);
    if (d.diagnosticCount > 10) out.push(`    … ${d.diagnosticCount - 10} more`);
  }
  return out.join('\n') + '\n';
}
