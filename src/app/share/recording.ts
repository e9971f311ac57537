// A series on screen shared whole: its moments written as a recording (lib/series/share.ts), as
// a `#r=` link when the URL fits in LINK_LIMIT, else as a `.vmscope-rec` file made here. Nothing
// touches the network: the link's recording is in its fragment, and the file is a Blob.

import type { Series } from '../../lib/series/series.ts';
import { FRAME_PREFIX, RECORDING_EXTENSION, decodeHeader } from '../../lib/series/recording.ts';
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

/** Bytes each frame of a recording takes (header first), read from their prefixes. */
function frameLengths(bytes: Uint8Array): { header: number; frames: number[] } {
  const head = decodeHeader(bytes);
  const header = typeof head === 'object' ? head.length : 0;
  const frames: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = header; at + FRAME_PREFIX <= bytes.length; at += FRAME_PREFIX + view.getUint32(at, true)) frames.push(FRAME_PREFIX + view.getUint32(at, true));
  return { header, frames };
}

/**
 * The latest moments whose link fits, or null. Their link's length is estimated as the first
 * moment's whole frame (encoded alone) plus the frames after it as the whole recording has them,
 * bisected on that, and the one found checked (and moved on a moment while it does not fit).
 */
function latestThatFit(series: Series, includeAddresses: boolean, whole: Uint8Array): MadeRecording['latest'] {
  const { frames } = frameLengths(whole);
  if (frames.length !== series.count) return null;
  const after = new Float64Array(series.count + 1);
  for (let k = series.count - 1; k >= 0; k--) after[k] = after[k + 1] + frames[k];
  const prefix = recordingLinkUrl('').length;
  const estimate = (from: number) => prefix + Math.ceil(((encodeSeries(series, { includeAddresses, from, to: from }).length + after[from + 1]) * 4) / 3);
  let lo = 1;
  let hi = series.count - 1;
  let from = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (estimate(mid) <= LINK_LIMIT) {
      from = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  if (from < 0) return null;
  for (let tries = 0; from < series.count && tries < 8; from++, tries++) {
    const link = linkFrom(series, includeAddresses, from);
    if (link.length <= LINK_LIMIT) return { from, ...link };
  }
  return null;
}

/**
 * The series as a recording, its link and whether the link is practical; when it is not, a link
 * to the latest moments that fit.
 */
export function makeRecording(series: Series, includeAddresses: boolean, hiddenBefore = false): MadeRecording {
  const bytes = encodeSeries(series, { includeAddresses, info: { addressesHidden: hiddenBefore } });
  const url = recordingLinkUrl(seriesLinkText(bytes));
  const fits = url.length <= LINK_LIMIT;
  const latest = !fits && series.count > 1 ? latestThatFit(series, includeAddresses, bytes) : null;
  return { url, length: url.length, bytes, moments: series.count, fits, latest };
}

/** The file name a recording is downloaded as: the series' name with `.vmscope-rec`. */
export function recordingFileName(fileName: string | null): string {
  const base = (fileName ?? 'series').replace(/\.gz$/i, '').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'series';
  return `${base}${RECORDING_EXTENSION}`;
}
