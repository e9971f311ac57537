import { scaleLinear } from 'd3-scale';
import { useMemo } from 'react';
import type { AreaKind, Model } from '../../lib/index.ts';
import { AREA_KINDS, formatBytes, formatCount } from '../../lib/index.ts';
import { showGroup } from './actions.ts';
import { BACKING_PARTS, backing } from './groups.ts';
import type { BackingPart } from './groups.ts';
import { useHighlight } from '../state/view.ts';
import { Panel } from '../ui/Panel.tsx';

const PART: Record<BackingPart, { label: string; note: string; highlight: string }> = {
  backed: {
    label: 'Backed pages',
    note: 'pages= × 4 KiB: memory actually mapped behind the areas',
    highlight: 'with pages',
  },
  guard: {
    label: 'Guard pages',
    note: 'one unmapped 4 KiB page at the end of most areas, to catch overruns',
    highlight: 'with a guard page',
  },
  unbacked: {
    label: 'No pages= printed',
    note:
      'areas for which the dump prints no pages=, so their memory is not counted here. Most are mapped all the same: ioremap maps device memory, vmap, vm_map_ram and percpu areas map pages allocated elsewhere. Lazily freed areas wait for a TLB flush.',
    highlight: 'without pages=',
  },
};

/** What each kind of area without pages= is, in a few words. */
const NO_PAGES_NOTE: Partial<Record<AreaKind, string>> = {
  ioremap: 'device memory',
  vmap: 'pages mapped by their owner',
  vm_map_ram: 'pages mapped by their owner',
  unpurged: 'lazily freed, awaiting a TLB flush',
  vmalloc: 'e.g. percpu chunks',
};

/** The kinds of the areas without pages=, most areas first, with how many of each. */
export function noPagesKinds(model: Model): Array<{ kind: AreaKind; count: number }> {
  const c = model.snapshot.columns;
  const count = new Array<number>(AREA_KINDS.length).fill(0);
  for (let i = 0; i < model.snapshot.count; i++) if (c.pages[i] === 0) count[c.kind[i]]++;
  return AREA_KINDS.map((kind, k) => ({ kind, count: count[k] }))
    .filter((k) => k.count > 0)
    .sort((a, b) => b.count - a.count || AREA_KINDS.indexOf(a.kind) - AREA_KINDS.indexOf(b.kind));
}

/** One stacked bar: how the size column splits into backed pages, guard pages and the rest. */
export function BackingBar({ model }: { model: Model }) {
  const b = backing(model);
  // A pass over every area: once per dump, not on every highlight.
  const noPages = useMemo(() => noPagesKinds(model), [model]);
  const highlight = useHighlight();
  const x = scaleLinear().domain([0, Math.max(1, b.total)]).range([0, 100]);
  const parts = BACKING_PARTS.map((part, id) => ({
    part,
    id,
    bytes: b[part],
    from: BACKING_PARTS.slice(0, id).reduce((sum, p) => sum + b[p], 0),
  }));
  return (
    <Panel
      title="Where the bytes go"
      note="The size column of every area, split into backed pages (pages=), guard pages and the areas whose pages the dump does not print. Click a part to highlight its areas."
      testId="backing"
      className="panel-wide"
    >
      <svg className="stack-svg" role="img" aria-label={parts.map((p) => `${PART[p.part].label}: ${formatBytes(p.bytes)}`).join(', ')}>
        {parts.map((p) =>
          p.bytes > 0 ? (
            <rect key={p.part} className={`stack-${p.part}`} x={`${x(p.from)}%`} width={`${x(p.bytes)}%`} y="0" height="100%">
              <title>{`${PART[p.part].label}: ${formatBytes(p.bytes)} (${((p.bytes / Math.max(1, b.total)) * 100).toFixed(1)}%)`}</title>
            </rect>
          ) : null,
        )}
      </svg>
      <ul className="stack-legend">
        {parts.map((p) => {
          const key = `backing:${p.part}`;
          return (
            <li key={p.part}>
              <button
                type="button"
                className="stack-key"
                aria-pressed={highlight?.source === key}
                data-testid={`backing-${p.part}`}
                title={`${PART[p.part].note}\n${formatCount(p.bytes)} bytes\nClick to highlight the areas ${PART[p.part].highlight}`}
                onClick={() => showGroup('backing', { key, label: PART[p.part].highlight, ids: [p.id] })}
              >
                <span className={`swatch stack-${p.part}`} aria-hidden="true" />
                <span className="stack-label">{PART[p.part].label}</span>
                <span className="stack-bytes">{formatBytes(p.bytes)}</span>
                <span className="stack-share">{b.total > 0 ? `${((p.bytes / b.total) * 100).toFixed(1)}%` : '—'}</span>
              </button>
            </li>
          );
        })}
        <li className="stack-total">
          of <strong>{formatBytes(b.total)}</strong> in {formatCount(model.snapshot.count)} areas
        </li>
      </ul>
      {noPages.length > 0 && (
        <p className="note stack-detail" data-testid="backing-no-pages-kinds">
          No pages= printed for:{' '}
          {noPages
            .map(({ kind, count }) => `${kind} (${formatCount(count)} ${count === 1 ? 'area' : 'areas'}${NO_PAGES_NOTE[kind] ? `, ${NO_PAGES_NOTE[kind]}` : ''})`)
            .join('; ')}
          . Most are mapped all the same (lazily freed ones are not): the dump just does not count their pages.
        </p>
      )}
    </Panel>
  );
}
