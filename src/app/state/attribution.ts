// Which module each area belongs to once /proc/modules is known for the dump on screen: the
// loader's areas (load_module, module_alloc, execmem_alloc lines carry no [module] tag; since 6.4
// one per section of the module) as well as the [module]-tagged ones. Computed once per model and
// modules list, and read by the map's colours and search, the tooltip, the details panel, the
// summary's module bars and the areas table.

import { attributeModules, moduleColumn } from '../../lib/index.ts';
import type { Model, ModuleAttribution, ModuleColumn, ModuleEntry } from '../../lib/index.ts';
import { useStore } from './store.ts';
import { captureOf } from './select.ts';

const cache = new WeakMap<Model, { modules: readonly ModuleEntry[]; attribution: ModuleAttribution }>();
const columns = new WeakMap<Model, { modules: readonly ModuleEntry[]; column: ModuleColumn }>();

/** The attribution of `model`'s areas to `modules`, or null without modules. */
export function attributionOf(model: Model, modules: readonly ModuleEntry[]): ModuleAttribution | null {
  if (modules.length === 0) return null;
  const hit = cache.get(model);
  if (hit && hit.modules === modules) return hit.attribution;
  const attribution = attributeModules(model, modules as ModuleEntry[]);
  cache.set(model, { modules, attribution });
  return attribution;
}

/** Every area's module: [module] tags, and the loader's areas by /proc/modules when known. */
export function moduleColumnOf(model: Model, modules: readonly ModuleEntry[]): ModuleColumn {
  const hit = columns.get(model);
  if (hit && hit.modules === modules) return hit.column;
  const column = moduleColumn(model, attributionOf(model, modules));
  columns.set(model, { modules, column });
  return column;
}

/**
 * The module whose code and data area `index` holds, by /proc/modules, when the area has no
 * [module] tag of its own; null otherwise.
 */
export function loaderModule(model: Model, modules: readonly ModuleEntry[], index: number): string | null {
  if (model.snapshot.columns.module[index] >= 0) return null;
  return attributionOf(model, modules)?.moduleOf[index] ?? null;
}

export const NO_MODULES: readonly ModuleEntry[] = [];

/** For components: loaderModule() over the dump on screen. */
export function useLoaderModule(): (index: number) => string | null {
  const model = useStore((s) => s.model);
  const modules = useStore((s) => captureOf(s)?.modules ?? NO_MODULES);
  return (index) => (model ? loaderModule(model, modules, index) : null);
}

/** For components: moduleColumnOf() over the dump on screen. */
export function useModuleColumn(model: Model): ModuleColumn {
  const modules = useStore((s) => (s.model === model ? (captureOf(s)?.modules ?? NO_MODULES) : NO_MODULES));
  return moduleColumnOf(model, modules);
}
