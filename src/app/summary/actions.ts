// What the summary's bars do: highlight the areas behind a bar (the map dims the others, the table
// lists only these) and bring them into view. Plain functions, like the view's actions.

import type { Model, ModuleEntry } from '../../lib/index.ts';
import { moduleColumnOf, NO_MODULES } from '../state/attribution.ts';
import { captureOf } from '../state/select.ts';
import { useStore } from '../state/store.ts';
import { setHighlight, zoomToHighlight } from '../state/view.ts';
import { revealMap } from '../ui/reveal.ts';
import { groupSet } from './groups.ts';
import type { GroupBy, GroupRow } from './groups.ts';

const get = useStore.getState;

const NOUN: Record<GroupBy, string> = { kind: 'kind', caller: 'caller', module: 'module', node: 'node', backing: 'areas' };

/** Highlight the areas behind a summary bar; the same bar again clears it. */
export function highlightGroup(by: GroupBy, row: Pick<GroupRow, 'key' | 'label' | 'ids'>): void {
  const { model, highlight } = get();
  const capture = captureOf(get());
  if (!model) return;
  if (highlight?.source === row.key && highlight.model === model) return setHighlight(null);
  const column = by === 'module' ? moduleColumnOf(model, capture?.modules ?? NO_MODULES) : null;
  const found = groupSet(model, by, row.ids, column);
  // In another moment of a series: kinds, callers (one string table for the whole series), nodes
  // and backing parts keep their ids; modules are found again by name.
  const names = column ? new Set(row.ids.map((id) => column.names[id])) : null;
  const of = (m: Model, modules: readonly ModuleEntry[]) => {
    if (!names) return groupSet(m, by, row.ids);
    const next = moduleColumnOf(m, modules);
    return groupSet(m, by, next.names.flatMap((name, id) => (names.has(name) ? [id] : [])), next);
  };
  setHighlight({ label: `${NOUN[by]} ${row.label}`, source: row.key, model, ...found, of });
}

/**
 * A summary bar's click: highlight its areas and bring them into view, zooming the map to the
 * stretch that holds them and scrolling the map on screen; the same bar again clears the highlight.
 */
export function showGroup(by: GroupBy, row: Pick<GroupRow, 'key' | 'label' | 'ids'>): void {
  highlightGroup(by, row);
  if (get().highlight?.source !== row.key) return;
  zoomToHighlight();
  revealMap();
}
