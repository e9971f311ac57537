// Attaching /proc/meminfo and /proc/modules records to a loaded dump: a sample's companion files
// (public/samples/index.json names them) or an input that held only those sections. A meminfo's
// VmallocTotal fixes the vmalloc range, so the dump's layout (and everything measured in the
// range: free space, holes, the probe) is worked out again with it.

import { layoutHintsFrom, relayout, summarize } from '../../lib/index.ts';
import { mapStateFor, refreshModules } from '../state/view.ts';
import { forgetMoments } from '../state/timeline.ts';
import { sampleUrl } from '../base/samples.ts';
import type { LoadedDump } from '../state/history.ts';
import { useStore } from '../state/store.ts';
import { readExtra, withExtra } from './attach.ts';
import type { Extra } from './attach.ts';

/** The dump with its layout fixed by its /proc/meminfo, when that has a VmallocTotal. */
function laidOut(d: LoadedDump): LoadedDump {
  const hints = layoutHintsFrom(d.capture.meminfo);
  if (hints.vmallocTotalKb === undefined || !d.model.byAddress) return d;
  const model = relayout(d.model, hints);
  return { ...d, model, summary: summarize(model) };
}

/**
 * A series keeps what was attached for its other moments too (withAttached in state/timeline.ts),
 * and a /proc/meminfo's range for every moment's layout (moments built with the old one are
 * forgotten).
 */
function keptForSeries(d: LoadedDump, extra: Extra): LoadedDump {
  const t = d.timeline;
  if (!t) return d;
  const before = { ...d.capture, meminfo: t.attached?.meminfo ?? [], modules: t.attached?.modules ?? [], sections: t.attached?.sections ?? [] };
  const merged = withExtra(before, extra);
  const attached = { meminfo: merged.meminfo, modules: merged.modules, sections: merged.sections };
  const hints = layoutHintsFrom(extra.meminfo);
  const relaid = hints.vmallocTotalKb !== undefined && hints.vmallocTotalKb !== t.hints.vmallocTotalKb;
  if (relaid) forgetMoments(t.series);
  return { ...d, timeline: { ...t, attached, hints: relaid ? { ...t.hints, ...hints } : t.hints } };
}

/** Put extra records into a loaded dump of the session, and on screen when it is the current one. */
export function attachExtra(id: number, extra: Extra): void {
  useStore.setState((s) => {
    const history = s.history.map((d) => (d.id === id ? (extra.meminfo.length > 0 ? laidOut : (x: LoadedDump) => x)(keptForSeries({ ...d, capture: withExtra(d.capture, extra) }, extra)) : d));
    const dump = history.find((d) => d.id === id);
    if (s.currentId !== id || !dump) return { history };
    if (extra.meminfo.length === 0) return { history };
    // The map keeps its view when the track did not change length; a new range redraws it whole.
    const map = mapStateFor(dump.model);
    const keepView = s.track !== null && map.track !== undefined && map.track !== null && map.track.total === s.track.total;
    const view = keepView ? { viewStart: s.viewStart, viewEnd: s.viewEnd, selected: s.selected, highlight: s.highlight } : {};
    return { history, ...map, ...view };
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
    // A boot sample's /proc/modules may be empty: no module loaded yet, which is worth knowing.
    modulesRead: modules !== null,
  };
  if (extra.meminfo.length > 0 || extra.modulesRead) attachExtra(id, extra);
}
