// The human-readable report of `vmscope diff A B`: totals, then the modules and callers whose
// vmalloc space changed most, then possible leaks (or that there are none, or that the check could
// not run). Warnings first when A and B cannot be one machine and boot. Exact byte counts beside
// friendly ones.

import { formatBytes, formatCount } from '../lib/index.ts';
import type { Model, NetChange, SnapshotDiff } from '../lib/index.ts';

export interface DiffSide {
  file: string;
  model: Model;
  /** Where its /proc/modules came from, as words ("file x.modules", "embedded in the capture"), or null. */
  modulesFrom: string | null;
  moduleCount: number;
}

const TOP = 10;

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '0');
const signedBytes = (n: number) => (n > 0 ? `+${formatBytes(n)}` : n < 0 ? `−${formatBytes(-n)}` : '0 B');
const areas = (n: number, sign = true) => `${sign ? signed(n) : formatCount(n)} area${Math.abs(n) === 1 ? '' : 's'}`;
const exact = (n: number) => (Math.abs(n) >= 1024 ? ` (${n < 0 ? '−' : ''}${formatCount(Math.abs(n))} bytes)` : '');

function table(rows: string[][], indent = '    '): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => indent + r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

/** "+1 added, −2 removed, 1 resized" for a row's detail column. */
function detail(x: NetChange): string {
  const parts: string[] = [];
  if (x.added) parts.push(`${x.added} added`);
  if (x.removed) parts.push(`${x.removed} removed`);
  if (x.resized) parts.push(`${x.resized} resized`);
  return parts.join(', ');
}

function netTable(title: string, rows: Array<{ name: string } & NetChange>): string[] {
  if (rows.length === 0) return [];
  const shown = rows.slice(0, TOP);
  const out = ['', `  ${title}`, table(shown.map((r) => [r.name, areas(r.count), signedBytes(r.bytes), detail(r)]))];
  if (rows.length > TOP) out.push(`    … ${rows.length - TOP} more (--json lists all)`);
  return out;
}

function side(label: string, s: DiffSide): string {
  const t = s.model.totals.all;
  const modules = s.modulesFrom ? ` · ${formatCount(s.moduleCount)} modules from ${s.modulesFrom}` : '';
  return `${label}: ${s.file === '-' ? '(stdin)' : s.file} · ${areas(t.count, false)}, ${formatBytes(t.bytes)} · ${s.model.snapshot.pointerMode}${modules}`;
}

export function formatDiff(a: DiffSide, b: DiffSide, d: SnapshotDiff): string {
  const out: string[] = [side('A', a), side('B', b)];
  for (const w of d.warnings) out.push(`  warning (${w.reason}): ${w.message}`);
  if (d.warnings.length > 0) out.push('  A and B cannot be one machine and boot: the changes below compare two different systems.');
  out.push(`  ${d.matchReason}`, '');
  const resized = d.resized.count > 0 || d.matchedBy === 'address';
  out.push(
    table(
      [
        ['added', areas(d.added.count, false), signedBytes(d.added.bytes) + exact(d.added.bytes)],
        ['removed', areas(d.removed.count, false), signedBytes(-d.removed.bytes) + exact(-d.removed.bytes)],
        ...(resized ? [['resized', areas(d.resized.count, false), signedBytes(d.resized.bytesDelta) + exact(d.resized.bytesDelta)]] : []),
        ['net', areas(d.added.count - d.removed.count), signedBytes(d.netBytes) + exact(d.netBytes)],
      ],
      '  ',
    ),
  );
  const attributed = a.modulesFrom !== null || b.modulesFrom !== null;
  out.push(...netTable(`by module (${attributed ? '[module] tags and loader areas' : '[module] tags; give --modules-a/--modules-b to count loader areas'})`, d.byModule));
  out.push(...netTable('by kind', d.byKind));
  out.push(...netTable('by caller (lines without one: (lazily freed) unpurged vm_area, (vm_map_ram) blocks, (no caller) early areas)', d.byCaller));
  if (d.possibleLeaks.length > 0) {
    out.push('', "  possible leaks: areas tagged with a module that B's /proc/modules no longer lists");
    out.push(table(d.possibleLeaks.map((p) => [p.module, areas(p.areas.length, false), formatBytes(p.bytes)])));
  } else if (d.leakCheck === 'ran') {
    out.push('', "  no possible leaks: every [module] tag in B names a module B's /proc/modules lists");
  } else {
    out.push('', "  possible leaks: not checked (no /proc/modules for B; give --modules-b or paste it into B's capture)");
  }
  if (d.added.count + d.removed.count + d.resized.count === 0) out.push('', '  no change');
  return out.join('\n') + '\n';
}
