// window.__vmscope: a read-only window into the app for end-to-end tests and the curious.
//   __vmscope.getState()  -> { areas, pointerMode, fileName, status, bytes, diagnostics }
//   __vmscope.whenIdle()  -> Promise that resolves once no fetch or parse is pending

import type { PointerMode } from '../lib/index.ts';
import type { Status } from './state/store.ts';
import { useStore } from './state/store.ts';

export interface VmscopeView {
  readonly areas: number | null;
  readonly pointerMode: PointerMode | null;
  readonly fileName: string | null;
  readonly status: Status;
  readonly bytes: number | null;
  readonly diagnostics: number;
  readonly parsedIn: 'worker' | 'main thread' | null;
}

export interface VmscopeHook {
  getState(): VmscopeView;
  whenIdle(): Promise<void>;
}

function getState(): VmscopeView {
  const s = useStore.getState();
  return Object.freeze({
    areas: s.summary?.areas ?? null,
    pointerMode: s.summary?.pointerMode ?? null,
    fileName: s.fileName,
    status: s.status,
    bytes: s.summary?.bytes ?? null,
    diagnostics: s.diagnosticCount,
    parsedIn: s.parsedIn,
  });
}

function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (useStore.getState().pending === 0) return resolve();
    const unsubscribe = useStore.subscribe((s) => {
      if (s.pending === 0) {
        unsubscribe();
        resolve();
      }
    });
  });
}

export function installTestHook(target: Window): void {
  const hook: VmscopeHook = Object.freeze({ getState, whenIdle });
  Object.defineProperty(target, '__vmscope', { value: hook, writable: false, configurable: false, enumerable: false });
}
