// Attaching /proc/meminfo and /proc/modules records to a loaded dump: a sample's companion files
// (public/samples/index.json names them) or an input that held only those sections.

import { refreshModules } from '../map/actions.ts';
import { sampleUrl } from '../samples.ts';
import { useStore } from '../state/store.ts';
import { readExtra, withExtra } from './attach.ts';
import type { Extra } from './attach.ts';

/** Put extra records into a loaded dump of the session, and on screen when it is the current one. */
export function attachExtra(id: number, extra: Extra): void {
  useStore.setState((s) => {
    const history = s.history.map((d) => (d.id === id ? { ...d, capture: withExtra(d.capture, extra) } : d));
    const dump = history.find((d) => d.id === id);
    return s.currentId === id && dump ? { history, capture: dump.capture } : { history };
  });
  if (useStore.getState().currentId === id) refreshModules();
}

async function fetchText(path: string): Promise<string | null> {
  try {
    const response = await fetch(sampleUrl(path));
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** Fetch a sample's companion files, if the manifest lists any, and attach them to dump `id`. */
export async function attachCompanions(id: number, samplePath: string): Promise<void> {
  const entry = useStore.getState().samples.find((s) => s.path === samplePath);
  if (!entry || (!entry.meminfo && !entry.modules)) return;
  const [meminfo, modules] = await Promise.all([
    entry.meminfo ? fetchText(entry.meminfo) : null,
    entry.modules ? fetchText(entry.modules) : null,
  ]);
  const extra: Extra = {
    meminfo: meminfo === null ? [] : readExtra(meminfo).meminfo,
    modules: modules === null ? [] : readExtra(modules).modules,
  };
  if (extra.meminfo.length > 0 || extra.modules.length > 0) attachExtra(id, extra);
}
