// The table's rows for the state on screen: the sorted index (cached per model) narrowed by the
// text, the kinds and the highlight. The text is deferred so typing stays smooth on big dumps.

import { useDeferredValue, useMemo } from 'react';
import type { Model } from '../../lib/index.ts';
import type { Highlight } from '../map/slice.ts';
import { attributionOf } from '../analysis/attribution.ts';
import { useStore } from '../state/store.ts';
import { filterRows, sortedIndex } from './rows.ts';
import type { Rows } from './rows.ts';

/** The store's highlight when it belongs to the model on screen. */
export function useHighlight(): Highlight | null {
  const model = useStore((s) => s.model);
  const highlight = useStore((s) => s.highlight);
  return highlight && highlight.model === model ? highlight : null;
}

export function useTableRows(): { model: Model | null; rows: Rows | null } {
  const model = useStore((s) => s.model);
  const sort = useStore((s) => s.tableSort);
  const dir = useStore((s) => s.tableDir);
  const text = useDeferredValue(useStore((s) => s.tableText));
  const kinds = useStore((s) => s.tableKinds);
  const highlight = useHighlight();
  const modules = useStore((s) => s.capture?.modules);
  const loaders = model && modules ? (attributionOf(model, modules)?.moduleOf ?? null) : null;
  const order = useMemo(() => (model ? sortedIndex(model, sort, dir) : null), [model, sort, dir]);
  const rows = useMemo(
    () => (model && order ? filterRows(model, order, { text, kinds, only: highlight?.areas ?? null, loaders }) : null),
    [model, order, text, kinds, highlight, loaders],
  );
  return { model, rows };
}
