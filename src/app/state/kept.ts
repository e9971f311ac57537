// The dumps kept on this device (base/store.ts) as the page shows them: their list, and what to say
// when they cannot be kept (no storage in this browser, a full quota). A store of its own, apart
// from the session's: the orchestrator (persist.ts) fills it and puts the actions behind it, so the
// list in the header reaches them without importing anything above it.

import { create } from 'zustand';
import type { KeptInfo } from '../base/store.ts';

export interface KeptState {
  /** 'off': this browser keeps nothing (private mode, no IndexedDB); 'starting' until known. */
  storage: 'starting' | 'on' | 'off';
  /** Oldest first. */
  list: KeptInfo[];
  /** The key of the kept entry on screen, if it is one. */
  onScreen: string | null;
  /** The last thing that could not be kept (a full quota), until the next keep succeeds. */
  problem: string | null;
  actions: {
    open(key: string): Promise<void>;
    forget(key: string): Promise<void>;
    forgetAll(): Promise<void>;
  } | null;
}

export const useKept = create<KeptState>()(() => ({ storage: 'starting', list: [], onScreen: null, problem: null, actions: null }));

export function openKept(key: string): Promise<void> {
  return useKept.getState().actions?.open(key) ?? Promise.resolve();
}

export function forgetKept(key: string): Promise<void> {
  return useKept.getState().actions?.forget(key) ?? Promise.resolve();
}

export function forgetAllKept(): Promise<void> {
  return useKept.getState().actions?.forgetAll() ?? Promise.resolve();
}
