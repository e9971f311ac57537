// The Share panel's recording glue, in Node: the page's address is a stand-in.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeRecording, isRecording } from '../../lib/series/recording.ts';
import { encodeSeries, readSeriesLink, seriesLinkText } from '../../lib/series/share.ts';
import { realSeriesText, roundsOf, seriesOfRounds } from '../../lib/testing/series.ts';
import { LINK_LIMIT } from './link.ts';
import { makeRecording, recordingFileName } from './recording.ts';

const PAGE = 'https://vmscope.example/app/';

beforeAll(() => vi.stubGlobal('window', { location: new URL(PAGE) }));
afterAll(() => vi.unstubAllGlobals());

describe('a series shared from the page', () => {
  const rounds = roundsOf(realSeriesText());
  const series = seriesOfRounds(rounds);

  it('is a link of under 32 KB for the real series with its addresses hidden, opening with every moment', () => {
    const made = makeRecording(series, false);
    expect(made.fits).toBe(true);
    expect(made.latest).toBeNull();
    expect(made.length).toBeLessThanOrEqual(LINK_LIMIT);
    const opened = readSeriesLink(made.url.slice(made.url.indexOf('#r=') + 3));
    if (opened.kind !== 'series') throw new Error(opened.kind);
    expect(opened.series.count).toBe(rounds.length);
    for (let k = 0; k < rounds.length; k++) expect(opened.series.snapshot(k).count).toBe(rounds[k].lines.length);
  });

  // With its addresses kept (hashes are not renumbered then), the real series passes 32 KB.
  it('is a file when its link passes 32 KB, with a link to the latest moments that fit, the earliest such', () => {
    const made = makeRecording(series, true, false, Infinity);
    expect(made.fits).toBe(false);
    expect(made.length).toBe(made.url.length);
    expect(made.length).toBeGreaterThan(LINK_LIMIT);
    expect(isRecording(made.bytes)).toBe(true);
    expect(decodeRecording(made.bytes).frames.length).toBe(rounds.length);
    const latest = made.latest!;
    expect(latest.url.startsWith(`${PAGE}#r=`)).toBe(true);
    expect(latest.length).toBeLessThanOrEqual(LINK_LIMIT);
    // One moment more would not fit.
    expect(PAGE.length + 3 + seriesLinkText(encodeSeries(series, { includeAddresses: true, from: latest.from - 1 })).length).toBeGreaterThan(LINK_LIMIT);
    const opened = readSeriesLink(latest.url.slice(latest.url.indexOf('#r=') + 3));
    if (opened.kind !== 'series') throw new Error(opened.kind);
    expect(opened.series.count).toBe(rounds.length - latest.from);
    expect(opened.series.snapshot(opened.series.count - 1).count).toBe(rounds[rounds.length - 1].lines.length);
  });

  it('with no time to search, still offers a link of latest moments that fits', () => {
    const made = makeRecording(series, true, false, 0);
    const latest = made.latest!;
    expect(latest.length).toBeLessThanOrEqual(LINK_LIMIT);
    const opened = readSeriesLink(latest.url.slice(latest.url.indexOf('#r=') + 3));
    if (opened.kind !== 'series') throw new Error(opened.kind);
    expect(opened.series.count).toBe(rounds.length - latest.from);
    expect(opened.series.snapshot(opened.series.count - 1).count).toBe(rounds[rounds.length - 1].lines.length);
  });

  it('is a link when it fits, with no other', () => {
    const small = seriesOfRounds(rounds.slice(-2).map((r) => ({ ...r, lines: r.lines.slice(0, 300) })));
    const made = makeRecording(small, false);
    expect(made.fits).toBe(true);
    expect(made.latest).toBeNull();
    expect(made.url.startsWith(`${PAGE}#r=`)).toBe(true);
  });

  it('is downloaded under the series’ name with .vmscope-rec', () => {
    expect(recordingFileName('host-6.18-hashed-date-Is.txt.gz')).toBe('host-6.18-hashed-date-Is.vmscope-rec');
    expect(recordingFileName('vm.log')).toBe('vm.vmscope-rec');
    expect(recordingFileName(null)).toBe('series.vmscope-rec');
  });
});
