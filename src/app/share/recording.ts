// A series on screen shared whole: its moments written as a recording (lib/series/share.ts), as
// a `#r=` link (its compact form) when the URL fits in LINK_LIMIT, else as a `.vmscope-rec` file made here. Nothing
// touches the network: the link's recording is in its fragment, and the file is a Blob.

import type { Series } from '../../lib/series/series.ts';
import { RECORDING_EXTENSION } from '../../lib/series/recording.ts';
import { encodeSeries, seriesLinkText } from '../../lib/series/share.ts';
import { recordingLinkUrl } from '../base/links.ts';
import { LINK_LIMIT } from './link.ts';

export interface MadeRecording {
  /** The link on this page, whether or not it fits. */
  url: string;
  /** Characters of the whole URL. */
  length: number;
  /** The recording's bytes (the file's). */
  bytes: Uint8Array;
  moments: number;
  /** Whether the link is at most LINK_LIMIT characters. */
  fits: boolean;
  /** When the whole does not fit: a link to the latest moments that do (from moment `from`, 0-based), or null. */
  latest: { from: number; url: string; length: number } | null;
}

/** The link to moments from … the last, and its length. */
function linkFrom(series: Series, includeAddresses: boolean, from: number): { url: string; length: number } {
  const url = recordingLinkUrl(seriesLinkText(encodeSeries(series, { includeAddresses, from })));
  return { url, length: url.length };
}

/**
 * The latest moments whose link fits, or null: bisected on the links themselves (a compact link,
 * lib/series/compactLink.ts, is far shorter than the frames it stands for, so their sizes say
 * little), the earliest start found whose link fits while the one before it does not.
 */
function latestThatFit(series: Series, includeAddresses: boolean): MadeRecording['latest'] {
  let lo = 1;
  let hi = series.count - 1;
  let found: MadeRecording['latest'] = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const link = linkFrom(series, includeAddresses, mid);
    if (link.length <= LINK_LIMIT) {
      found = { from: mid, ...link };
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}

/**
 * The series as a recording, its link and whether the link is practical; when it is not, a link
 * to the latest moments that fit.
 */
export function makeRecording(series: Series, includeAddresses: boolean, hiddenBefore = false): MadeRecording {
  const bytes = encodeSeries(series, { includeAddresses, info: { addressesHidden: hiddenBefore } });
  const url = recordingLinkUrl(seriesLinkText(bytes));
  const fits = url.length <= LINK_LIMIT;
  const latest = !fits && series.count > 1 ? latestThatFit(series, includeAddresses) : null;
  return { url, length: url.length, bytes, moments: series.count, fits, latest };
}

/** The file name a recording is downloaded as: the series' name with `.vmscope-rec`. */
export function recordingFileName(fileName: string | null): string {
  const base = (fileName ?? 'series').replace(/\.gz$/i, '').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'series';
  return `${base}${RECORDING_EXTENSION}`;
}
