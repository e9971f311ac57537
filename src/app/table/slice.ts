// The areas table's part of the store: its sort and its filters. The rows themselves are derived
// (rows.ts), and the highlight that also narrows them lives with the map (map/slice.ts).

import type { StateCreator } from 'zustand';
import type { AppState } from '../state/store.ts';
import { ALL_KINDS } from './rows.ts';
import type { SortDir, SortKey } from './rows.ts';

export interface TableSlice {
  tableSort: SortKey;
  tableDir: SortDir;
  /** Caller or module substring, or an address. */
  tableText: string;
  /** Bit k: show AREA_KINDS[k]. */
  tableKinds: number;
}

export const createTableSlice: StateCreator<AppState, [], [], TableSlice> = () => ({
  tableSort: 'address',
  tableDir: 'asc',
  tableText: '',
  tableKinds: ALL_KINDS,
});
