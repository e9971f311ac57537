// The areas table's part of the store: its sort and its filters. The rows themselves are derived
// (rows.ts), and the highlight that also narrows them lives with the map (map/slice.ts).

import type { StateCreator } from 'zustand';
import type { AppState } from './store.ts';
import { AREA_KINDS } from '../../lib/index.ts';

export const SORT_KEYS = ['address', 'size', 'pages', 'caller', 'module'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

/** Every kind shown: bit k stands for AREA_KINDS[k]. */
export const ALL_KINDS = (1 << AREA_KINDS.length) - 1;

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
