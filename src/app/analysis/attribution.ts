// Which module a loader area holds (load_module, module_alloc, execmem_alloc lines carry no
// [module] tag), once /proc/modules is known for the dump on screen. Computed once per model and
// modules list, and read by the tooltip, the details panel and the areas table.

import { attributeModules } from '../../lib/index.ts';
import type { Model, ModuleAttribution, ModuleEntry } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';

const cache = new WeakMap<Model, { modules: readonly ModuleEntry[]; attribution: ModuleAttribution }>();

/** The attribution of `model`'s areas to `modules`, or null without modules. */
export function attributionOf(model: Model, modules: readonly ModuleEntry[]): ModuleAttribution | null {
  if (modules.length === 0) return null;
  const hit = cache.get(model);
  if (hit && hit.modules === modules) return hit.attribution;
  const attribution = attributeModules(model, modules as ModuleEntry[]);
  cache.set(model, { modules, attribution });
  return attribution;
}

/**
 * The module whose code and data area `index` holds, by /proc/modules, when the area has no
 * [module] tag of its own; null otherwise.
 */
export function loaderModule(model: Model, modules: readonly ModuleEntry[], index: number): string | null {
  if (model.snapshot.columns.module[index] >= 0) return null;
  return attributionOf(model, modules)?.moduleOf[index] ?? null;
}

const NONE: readonly ModuleEntry[] = [];

/** For components: loaderModule() over the dump on screen. */
export function useLoaderModule(): (index: number) => string | null {
  const model = useStore((s) => s.model);
  const modules = useStore((s) => s.capture?.modules ?? NONE);
  return (index) => (model ? loaderModule(model, modules, index) : null);
}
