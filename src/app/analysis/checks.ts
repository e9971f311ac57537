// Pure helpers of the Cross-checks view: which area is a module's loader area, and what the
// comparison of its loader areas (all its sections since 6.4) with lsmod's size says. No DOM.

import { toBigInt } from '../../lib/index.ts';
import type { Model, ModuleFootprint } from '../../lib/index.ts';

/** The area holding the module's base address (its loader area), else its biggest area, or null. */
export function loaderAreaOf(model: Model, f: Pick<ModuleFootprint, 'address' | 'areas'>): number | null {
  if (f.areas.length === 0) return null;
  const c = model.snapshot.columns;
  if (f.address && model.byAddress) {
    const base = BigInt(f.address);
    for (const i of f.areas) {
      if (toBigInt(c.startHi[i], c.startLo[i]) <= base && base < toBigInt(c.endHi[i], c.endLo[i])) return i;
    }
  }
  let best = f.areas[0];
  for (const i of f.areas) if (c.size[i] > c.size[best]) best = i;
  return best;
}

export interface ModuleStatus {
  /** true: as expected; false: off; null: cannot tell. */
  ok: boolean | null;
  text: string;
  /** Loader bytes minus expected, 0 when there is nothing to compare. */
  delta: number;
}

export function moduleStatus(f: Pick<ModuleFootprint, 'address' | 'loaderBytes' | 'expectedLoaderBytes' | 'agreement' | 'agreementText' | 'loaderAreas'>): ModuleStatus {
  if (!f.address || /^0x0+$/.test(f.address)) return { ok: null, text: 'address hidden (zeros in /proc/modules)', delta: 0 };
  if (f.agreement === 'unknown') return { ok: null, text: f.agreementText, delta: 0 };
  if (f.loaderBytes === 0) return { ok: false, text: f.agreementText, delta: 0 };
  if (f.agreement === 'exact') return { ok: true, text: f.loaderAreas.length > 1 ? `as expected: ${f.agreementText}` : 'as expected', delta: 0 };
  return { ok: false, text: f.agreementText, delta: f.loaderBytes - f.expectedLoaderBytes };
}
