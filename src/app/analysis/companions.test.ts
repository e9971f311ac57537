// Records attached to a series (a /proc/modules or /proc/meminfo dropped on its own while a series
// is on screen) stay with it from moment to moment, and a meminfo's range lays out every moment.

import { beforeEach, describe, expect, it } from 'vitest';
import { readModulesLine } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { realSeriesText, roundsOf, seriesOfRounds } from '../../lib/testing/series.ts';
import { currentDump } from '../state/select.ts';
import { showSeries } from '../state/showSeries.ts';
import { useStore } from '../state/store.ts';
import { stepMoment } from '../state/timeline.ts';
import { attachExtra } from './companions.ts';

const get = useStore.getState;
const series = seriesOfRounds(roundsOf(realSeriesText()));


beforeEach(() => useStore.setState(useStore.getInitialState(), true));

describe('records attached to a series', () => {
  it('stay on every moment the cursor goes to', () => {
    showSeries(series);
    const lines = fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.modules').split('\n');
    const modules = lines.map((l, j) => readModulesLine(l, j + 1)).filter((m) => m !== null);
    expect(modules.length).toBeGreaterThan(0);
    attachExtra(1, { meminfo: [], modules, modulesRead: true });
    expect(currentDump(get())!.capture.modules.length).toBe(modules.length);
    stepMoment(-3);
    expect(currentDump(get())!.timeline!.index).toBe(series.count - 4);
    expect(currentDump(get())!.capture.modules.map((m) => m.name)).toEqual(modules.map((m) => m.name));
    expect(currentDump(get())!.capture.sections.filter((s) => s.name === '/proc/modules')).toEqual([{ name: '/proc/modules', lines: modules.length }]);
  });
});
