// What one row of the areas table says, as text. Built only for the rows on screen, so a plain
// record per row is fine here.

import { formatBytes, formatCount, hex, hexBig } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import { callerText } from '../base/describe.ts';

export interface RowCells {
  index: number;
  line: number;
  start: string;
  end: string;
  size: string;
  sizeTitle: string;
  pages: string;
  kind: string;
  caller: string;
  module: string;
  /** The module column's tooltip: where the name comes from. */
  moduleTitle: string;
  nodes: string;
  phys: string;
}

/**
 * Addresses as the dump printed them: real, hashed or zeroed hex, or the masked placeholder.
 * `loader`: the module whose code and data this untagged area holds, by /proc/modules.
 */
export function rowCells(model: Model, index: number, loader: string | null = null): RowCells {
  const s = model.snapshot;
  const c = s.columns;
  const area = s.area(index);
  const digits = s.addressDigits || 16;
  const masked = area.start === null;
  return {
    index,
    line: area.line,
    start: masked ? '0x(____ptrval____)' : hex(c.startHi[index], c.startLo[index], digits),
    end: masked ? '0x(____ptrval____)' : hex(c.endHi[index], c.endLo[index], digits),
    size: formatBytes(area.size),
    sizeTitle: `${formatCount(area.size)} bytes${area.guard > 0 ? `, ${formatBytes(area.guard)} of it a guard page` : ''}`,
    pages: area.pages > 0 ? formatCount(area.pages) : '—',
    kind: area.kind,
    caller: callerText(area) ?? '—',
    module: area.caller?.module ?? (loader ? `(${loader})` : ''),
    moduleTitle: area.caller?.module
      ? `[${area.caller.module}]: allocated by code inside the module`
      : loader
        ? `the code and data of ${loader}: /proc/modules puts it here`
        : 'built-in',
    nodes: area.nodes.map((n) => `N${n.node}=${n.pages}`).join(' '),
    phys: area.phys === null ? '' : hexBig(area.phys, 16),
  };
}
