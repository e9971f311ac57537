// A series on screen shared whole: its moments written as a recording (lib/series/share.ts), as
// a `#r=` link (its compact form) when the URL fits in LINK_LIMIT, else as a `.vmscope-rec` file made here. Nothing
// touches the network: the link's recording is in its fragment, and the file is a Blob.

import type { Series } from '../../lib/series/series.ts';
import { RECORDING_EXTENSION } from '../../lib/series/recording.ts';
import { encodeSeries, seriesLinkLength, seriesLinkText } from '../../lib/series/share.ts';
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

/**
 * How long the search for the latest moments that fit may take on the page's thread (a whole day's
 * series measures about a dozen ranges at 0.2 s each); past it, the start found so far is taken.
 */
export const LATEST_BUDGET_MS = 1000;

/** The link to moments from … the last, and its length. */
function linkFrom(series: Series, includeAddresses: boolean, from: number): { url: string; length: number } {
  const url = recordingLinkUrl(seriesLinkText(encodeSeries(series, { includeAddresses, from })));
  return { url, length: url.length };
}

/**
 * The latest moments whose link fits, or null: the earliest start whose link fits while the one
 * before it does not. A compact link (lib/series/compactLink.ts) is far shorter than the frames it
 * stands for, so their sizes say little: the lengths are measured (seriesLinkLength, without the
 * decode that checks a link), each next start where the link would just fit were its length even
 * between the nearest starts known to fit and not to fit (and that start's neighbour), with a
 * bisection whenever that did not halve the span; the link found is then made as always, checked.
 */
function latestThatFit(series: Series, includeAddresses: boolean, wholeLength: number, budgetMs = LATEST_BUDGET_MS): MadeRecording['latest'] {
  const n = series.count;
  const deadline = performance.now() + budgetMs;
  const prefix = recordingLinkUrl('').length;
  const lengths = new Map<number, number>();
  const lengthFrom = (from: number) => {
    let v = lengths.get(from);
    if (v === undefined) lengths.set(from, (v = prefix + seriesLinkLength(encodeSeries(series, { includeAddresses, from }))));
    return v;
  };
  const fits = (from: number) => lengthFrom(from) <= LINK_LIMIT;
  if (!fits(n - 1)) return null;
  // fits(good), not fits(bad): the whole (from 0, measured by the caller) does not fit.
  lengths.set(0, wholeLength);
  let good = n - 1;
  let bad = 0;
  // Past the budget the search stops where it is: `good` fits, a few moments fewer than the most.
  while (good - bad > 1 && performance.now() < deadline) {
    const span = good - bad;
    // The start where the link would reach the limit were its length even between bad and good,
    // and its neighbour on the other side; a bisection too when that did not halve the span.
    const over = lengthFrom(bad) - LINK_LIMIT;
    const guess = Math.min(good - 1, Math.max(bad + 1, Math.round(bad + (over / Math.max(1, lengthFrom(bad) - lengthFrom(good))) * span)));
    if (fits(guess)) {
      good = guess;
      if (guess - 1 > bad && !fits(guess - 1)) bad = guess - 1;
    } else {
      bad = guess;
      if (guess + 1 < good && fits(guess + 1)) good = guess + 1;
    }
    if (good - bad > 1 && good - bad > span / 2) {
      const mid = (good + bad) >> 1;
      if (fits(mid)) good = mid;
      else bad = mid;
    }
  }
  for (let from = good; from < n; from++) {
    const link = linkFrom(series, includeAddresses, from);
    if (link.length <= LINK_LIMIT) return { from, ...link };
  }
  return null;
}

/**
 * The series as a recording, its link and whether the link is practical; when it is not, a link
 * to the latest moments that fit (the most that fit, unless finding them takes past `budgetMs`).
 */
export function makeRecording(series: Series, includeAddresses: boolean, hiddenBefore = false, budgetMs = LATEST_BUDGET_MS): MadeRecording {
  const bytes = encodeSeries(series, { includeAddresses, info: { addressesHidden: hiddenBefore } });
  const url = recordingLinkUrl(seriesLinkText(bytes));
  const fits = url.length <= LINK_LIMIT;
  const latest = !fits && series.count > 1 ? latestThatFit(series, includeAddresses, url.length, budgetMs) : null;
  return { url, length: url.length, bytes, moments: series.count, fits, latest };
}

/** The file name a recording is downloaded as: the series' name with `.vmscope-rec`. */
export function recordingFileName(fileName: string | null): string {
  const base = (fileName ?? 'series').replace(/\.gz$/i, '').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'series';
  return `${base}${RECORDING_EXTENSION}`;
}
