// The table's rows for the state on screen: the sorted index (cached per model) narrowed by the
// text, the kinds, the highlight and the module names /proc/modules gives loader areas. The text
// is deferred so typing stays smooth on big dumps.

import { useDeferredValue, useMemo } from 'react';
import type { Model } from '../../lib/index.ts';
import { attributionOf, moduleColumnOf } from '../state/attribution.ts';
import type { AppState } from '../state/store.ts';
import { captureOf } from '../state/select.ts';
import { useStore } from '../state/store.ts';
import { highlightOf, useHighlight } from '../state/view.ts';
import type { CaptureFacts } from '../worker/protocol.ts';
import { filterRows, sortedIndex } from './rows.ts';
import type { Rows } from './rows.ts';

type TableInputs = Pick<AppState, 'model' | 'highlight' | 'tableSort' | 'tableDir' | 'tableText' | 'tableKinds'> & { capture: CaptureFacts | null };

/** Per area, the module a loader area holds by /proc/modules, or null without modules. */
function loadersOf(model: Model, s: Pick<TableInputs, 'capture'>): readonly (string | null)[] | null {
  return s.capture ? (attributionOf(model, s.capture.modules)?.moduleOf ?? null) : null;
}

/** The table's rows for a state, computed at once (the test hook; the component defers the text). */
export function tableRowsOf(s: TableInputs): Rows | null {
  if (!s.model) return null;
  const only = highlightOf(s)?.areas ?? null;
  const column = s.capture && s.capture.modules.length > 0 ? moduleColumnOf(s.model, s.capture.modules) : null;
  return filterRows(s.model, sortedIndex(s.model, s.tableSort, s.tableDir, column), { text: s.tableText, kinds: s.tableKinds, only, loaders: loadersOf(s.model, s) });
}

export function useTableRows(): { model: Model | null; rows: Rows | null } {
  const model = useStore((s) => s.model);
  const sort = useStore((s) => s.tableSort);
  const dir = useStore((s) => s.tableDir);
  const text = useDeferredValue(useStore((s) => s.tableText));
  const kinds = useStore((s) => s.tableKinds);
  const highlight = useHighlight();
  const capture = useStore(captureOf);
  const rows = useMemo(
    () => tableRowsOf({ model, highlight, capture, tableSort: sort, tableDir: dir, tableText: text, tableKinds: kinds }),
    [model, highlight, capture, sort, dir, text, kinds],
  );
  return { model, rows };
}
