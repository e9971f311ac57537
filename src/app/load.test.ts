// The one loader, in Node: no Worker here, so the client falls back to the main thread, which is
// the same read and parse. The page's address is a stand-in with a location and a history.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeShare } from '../lib/share/codec.ts';
import { fixture, readIndependently } from '../lib/testing/fixtures.ts';
import { createLoader } from './load.ts';
import { loadFile, loadFiles, loadText, switchTo } from './state/actions.ts';
import { realSeriesText, roundsOf } from '../lib/testing/series.ts';
import { selectTimeline, setMoment } from './state/timeline.ts';
import { currentDump, fileNameOf, sourceOf, summaryOf } from './state/select.ts';
import { useStore } from './state/store.ts';
import { setView } from './state/view.ts';

const X86 = 'kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo';
const IOREMAP = 'seeds/x86_64-raw-ioremap.vmallocinfo';

function fakeWindow(href: string): void {
  let url = new URL(href);
  vi.stubGlobal('window', {
    get location() {
      return url;
    },
    history: { replaceState: (_state: unknown, _title: string, next: URL | string) => void (url = new URL(String(next), url)) },
  });
}

const areasIn = (path: string) => readIndependently(fixture(path)).areas.length;

beforeEach(() => {
  fakeWindow('http://vmscope.test/?sample=kernels/x.vmallocinfo');
  useStore.setState(useStore.getInitialState(), true);
  useStore.setState({ loader: createLoader() });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the one loader', () => {
  it('puts pasted text and a chosen file on screen the same way, each kept in the history with its own source', async () => {
    expect(await loadText(fixture(X86))).toBe(true);
    const pasted = currentDump(useStore.getState())!;
    expect(pasted.source).toEqual({ kind: 'paste' });
    expect(summaryOf(useStore.getState())?.areas).toBe(areasIn(X86));
    expect(window.location.search).toBe(''); // a paste is not a sample: ?sample= goes

    expect(await loadFile(new File([fixture(IOREMAP)], 'ioremap.txt'))).toBe(true);
    const s = useStore.getState();
    expect(sourceOf(s)).toEqual({ kind: 'file', name: 'ioremap.txt', via: 'chooser' });
    expect(fileNameOf(s)).toBe('ioremap.txt');
    expect(summaryOf(s)?.areas).toBe(areasIn(IOREMAP));
    expect(s.history.map((d) => d.summary.areas)).toEqual([areasIn(X86), areasIn(IOREMAP)]);
    expect(s.status).toBe('ready');
    expect(s.pending).toBe(0);
  });

  it('gives each dump back the view it was left with when the session switches to it again', async () => {
    await loadText(fixture(X86));
    const first = useStore.getState().currentId!;
    const total = useStore.getState().track!.total;
    setView({ start: total / 4, end: total / 2 });
    const left = { start: useStore.getState().viewStart, end: useStore.getState().viewEnd };
    await loadText(fixture(IOREMAP));
    expect(useStore.getState().viewStart).toBe(0); // a new dump opens whole

    switchTo(first);
    const s = useStore.getState();
    expect(s.currentId).toBe(first);
    expect(summaryOf(s)?.areas).toBe(areasIn(X86));
    expect({ start: s.viewStart, end: s.viewEnd }).toEqual(left);
  });

  it('drops a load overtaken by a later one, without a word about it', async () => {
    const slow = loadText(fixture(X86), 'first');
    const fast = loadText(fixture(IOREMAP), 'second');
    expect(await Promise.all([slow, fast])).toEqual([false, true]);
    const s = useStore.getState();
    expect(s.history.map((d) => d.fileName)).toEqual(['second']);
    expect(summaryOf(s)?.areas).toBe(areasIn(IOREMAP));
    expect(s.notice).toBeNull();
  });

  it('does not let a load still in flight replace the dump the user switched back to', async () => {
    await loadText(fixture(X86), 'x86');
    const x86 = useStore.getState().currentId!;
    await loadText(fixture(IOREMAP), 'ioremap');
    const late = loadText(fixture(X86), 'late');
    switchTo(x86);
    expect(await late).toBe(false);
    const s = useStore.getState();
    expect(s.currentId).toBe(x86);
    expect(s.history.map((d) => d.fileName)).toEqual(['x86', 'ioremap']);
    expect(fileNameOf(s)).toBe('x86');
  });

  it('opens a pasted share link as a link, and a damaged one says why and keeps the dump on screen', async () => {
    await loadText(fixture(IOREMAP));
    const model = useStore.getState().model!;
    const text = await encodeShare(model, { range: null, selected: null, colourMode: 'kind', collapse: true }, { includeAddresses: true });

    expect(await loadText(`http://elsewhere.test/#s=${text}`)).toBe(true);
    const opened = useStore.getState();
    expect(sourceOf(opened)).toEqual({ kind: 'link', addressesHidden: false, text });
    expect(summaryOf(opened)?.areas).toBe(areasIn(IOREMAP));
    expect(opened.shareError).toBeNull();

    const at = Math.floor(text.length / 2);
    const damaged = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    expect(await loadText(`#s=${damaged}`)).toBe(false);
    const after = useStore.getState();
    expect(after.shareError).not.toBeNull();
    expect(after.currentId).toBe(opened.currentId);
    expect(after.status).toBe('ready');
    expect(after.input).toBeNull();
    expect(after.notice).toBeNull(); // a link's failure is the share notice's to say, not the input message's
  });

  it('refuses an input with no area line with a message, keeping the dump on screen', async () => {
    await loadText(fixture(IOREMAP));
    const before = useStore.getState().currentId;
    expect(await loadText('hello\nworld\n', 'notes.txt')).toBe(false);
    const s = useStore.getState();
    expect(s.currentId).toBe(before);
    expect(fileNameOf(s)).toBe(currentDump(s)!.fileName);
    expect(s.notice?.message).toContain('The dump on screen');
  });
});

describe('a series through the loader', () => {
  const rounds = roundsOf(realSeriesText());

  it('shows a stamped log as a series on its latest moment, and switching back keeps its cursor', async () => {
    expect(await loadText(realSeriesText(), 'vmalloc.log')).toBe(true);
    const series = useStore.getState().currentId!;
    let t = selectTimeline(useStore.getState())!;
    expect(t.series.count).toBe(rounds.length);
    expect(t.index).toBe(rounds.length - 1);
    expect(summaryOf(useStore.getState())?.areas).toBe(rounds[rounds.length - 1].lines.length);
    expect(t.stats.count[t.index]).toBe(rounds[rounds.length - 1].lines.length);
    setMoment(4);
    expect(summaryOf(useStore.getState())?.areas).toBe(rounds[4].lines.length);

    await loadText(fixture(IOREMAP));
    expect(selectTimeline(useStore.getState())).toBeUndefined();
    switchTo(series);
    t = selectTimeline(useStore.getState())!;
    expect(t.index).toBe(4);
    expect(summaryOf(useStore.getState())?.areas).toBe(rounds[4].lines.length);
  });

  it('reads several files given at once as one series, a moment each, in the order of their times', async () => {
    const t0 = Date.parse('2026-11-30T00:00:00Z');
    const files = [7, 3, 5].map((k) => new File([rounds[k].lines.join('\n') + '\n'], `round-${k}.txt`, { lastModified: t0 + k * 60_000 }));
    expect(await loadFiles(files, 'drop')).toBe(true);
    const s = useStore.getState();
    const t = selectTimeline(s)!;
    expect(t.series.count).toBe(3);
    expect(t.series.moments.map((m) => m.time)).toEqual([3, 5, 7].map((k) => t0 + k * 60_000));
    expect(summaryOf(s)?.areas).toBe(rounds[7].lines.length);
    expect(sourceOf(s)).toEqual({ kind: 'file', name: 'round-7.txt, round-3.txt, round-5.txt', via: 'drop' });
  });
});

