// What the tooltip and the details panel say about an area, a free hole or a collapsed break, as
// plain rows of text. Pure, so tests check the words without a browser.

import { formatBytes, formatCount, hexBig } from '../../lib/index.ts';
import type { Area, Break, Hit, Model, Track, TrackRegion } from '../../lib/index.ts';
import { KIND_DESCRIPTION } from './text.ts';

export interface Row {
  label: string;
  value: string;
  /** Hex and symbols read better in the monospace face. */
  mono?: boolean;
}

export interface Description {
  title: string;
  rows: Row[];
}

export function bytesText(bytes: number): string {
  return bytes < 1024 ? formatBytes(bytes) : `${formatBytes(bytes)} (${formatCount(bytes)} bytes)`;
}

export function callerText(area: Area): string | null {
  const c = area.caller;
  if (!c) return null;
  if (Number.isNaN(c.offset)) return c.symbol;
  const len = Number.isNaN(c.length) ? '' : `/0x${c.length.toString(16)}`;
  return `${c.symbol}+0x${c.offset.toString(16)}${len}`;
}

/** A short name for an area: its caller function, or what kind of line it was. */
export function areaName(area: Area): string {
  if (area.caller) return area.caller.module ? `${area.caller.symbol} [${area.caller.module}]` : area.caller.symbol;
  if (area.kind === 'unpurged') return 'unpurged vm_area';
  if (area.kind === 'vm_map_ram') return 'vm_map_ram block';
  return `${area.kind} area without a caller`;
}

function rangeText(model: Model, area: Area): string {
  const mode = model.snapshot.pointerMode;
  if (area.start === null || area.end === null) return 'masked as (____ptrval____)';
  if (mode === 'zero') return 'zeroed in this dump';
  const digits = model.snapshot.addressDigits || 16;
  const range = `${hexBig(area.start, digits)}–${hexBig(area.end, digits)}`;
  return mode === 'hashed' ? `${range} (hashed)` : range;
}

/**
 * Every field of one area (index in file order). `full` adds the kind's description and the line
 * number. `loader`: the module whose code and data this untagged area holds, by /proc/modules.
 */
export function describeArea(model: Model, index: number, full = false, loader: string | null = null): Description {
  const area = model.snapshot.area(index);
  const digits = model.snapshot.addressDigits || 16;
  const rows: Row[] = [
    { label: 'Range', value: rangeText(model, area), mono: true },
    { label: 'Size', value: bytesText(area.size) },
    { label: 'Pages', value: area.pages > 0 ? `${formatCount(area.pages)} (${formatBytes(area.pages * 4096)} backed)` : 'none printed' },
    {
      label: 'Guard',
      value:
        area.guard > 0
          ? model.byAddress && area.end !== null
            ? `${formatBytes(area.guard)} at ${hexBig(area.end - BigInt(area.guard), digits)}`
            : `${formatBytes(area.guard)} at the end`
          : 'none',
      mono: area.guard > 0 && model.byAddress,
    },
    { label: 'Caller', value: callerText(area) ?? '—', mono: area.caller !== null },
    moduleRow(area, loader),
    { label: 'Kind', value: full ? `${area.kind}: ${KIND_DESCRIPTION[area.kind]}` : area.kind },
    { label: 'Flags', value: area.flags.length > 0 ? area.flags.join(' ') : '—', mono: area.flags.length > 0 },
    { label: 'Phys', value: area.phys === null ? '—' : hexBig(area.phys, 16), mono: area.phys !== null },
    { label: 'NUMA', value: area.nodes.length > 0 ? area.nodes.map((n) => `N${n.node}=${n.pages}`).join(' ') : '—', mono: area.nodes.length > 0 },
  ];
  if (full) rows.push({ label: 'Line', value: String(area.line) });
  return { title: areaName(area), rows };
}

function moduleRow(area: Area, loader: string | null): Row {
  if (area.caller?.module) return { label: 'Module', value: area.caller.module, mono: true };
  if (loader) return { label: 'Module', value: `${loader}: its code and data (by /proc/modules)`, mono: false };
  return { label: 'Module', value: area.caller ? 'built-in' : '—' };
}

export function describeHole(track: Track, start: bigint | null, end: bigint | null, bytes: number): Description {
  const digits = track.model.snapshot.addressDigits || 16;
  const rows: Row[] = [];
  if (start !== null && end !== null) rows.push({ label: 'Range', value: `${hexBig(start, digits)}–${hexBig(end, digits)}`, mono: true });
  rows.push({ label: 'Size', value: Number.isNaN(bytes) ? 'unknown' : bytesText(bytes) });
  return { title: 'Free hole', rows };
}

export function describeBreak(track: Track, br: Break): Description {
  if (br.unknown) return { title: 'Unknown gap', rows: [{ label: 'Size', value: 'unknown: addresses are not real in this dump' }] };
  const d = describeHole(track, br.start, br.end, br.bytes);
  return { title: 'Free space, collapsed', rows: [...d.rows, { label: 'Shown as', value: 'a break; press C for the linear map' }] };
}

const FROM: Record<TrackRegion['startFrom'], string> = {
  meminfo: '/proc/meminfo (VmallocTotal)',
  release: 'the kernel version',
  areas: 'the areas of this dump',
  preset: 'the documented layout',
};

/** "from /proc/meminfo (VmallocTotal)", or "start from the areas of this dump, end from the documented layout". */
function boundsWords(r: TrackRegion): string {
  return r.startFrom === r.endFrom ? `from ${FROM[r.startFrom]}` : `start from ${FROM[r.startFrom]}, end from ${FROM[r.endFrom]}`;
}

export function describeRegion(track: Track, region: TrackRegion): Description {
  const digits = track.model.snapshot.addressDigits || 16;
  return {
    title: region.label,
    rows: [
      { label: 'Range', value: `${hexBig(region.start, digits)}–${hexBig(region.end, digits)}`, mono: true },
      { label: 'Size', value: formatBytes(Number(region.end - region.start)) },
      { label: 'Layout', value: track.model.layout?.name ?? '—' },
      { label: 'Bounds', value: boundsWords(region) },
    ],
  };
}

export function describeHit(
  track: Track,
  hit: Hit | { type: 'region'; region: TrackRegion },
  loaderOf: (index: number) => string | null = () => null,
): Description | null {
  if (!hit) return null;
  if (hit.type === 'region') return describeRegion(track, hit.region);
  if (hit.type === 'area') return describeArea(track.model, hit.index, false, loaderOf(hit.index));
  if (hit.type === 'break') return describeBreak(track, hit.break);
  return describeHole(track, hit.start, hit.end, hit.bytes);
}

export interface Neighbour {
  k: number;
  index: number;
  name: string;
}

export interface Neighbourhood {
  prev: Neighbour | null;
  next: Neighbour | null;
  /** Free bytes before and after the area: a number, 0 when adjacent, NaN when unknown, null at an end. */
  holeBefore: number | null;
  holeAfter: number | null;
}

/** The areas on either side of display position k and the holes between. */
export function neighbourhood(track: Track, k: number): Neighbourhood {
  const model = track.model;
  const at = (j: number): Neighbour | null =>
    j >= 0 && j < track.seq.length ? { k: j, index: track.seq[j], name: areaName(model.snapshot.area(track.seq[j])) } : null;
  const gap = (j: number): number | null => {
    if (j < 0 || j + 1 >= track.seq.length) return null;
    // Raw: the model's exact gaps, by address-order position (the track's order in raw mode).
    if (model.byAddress) return model.gapAfter[j];
    return model.chainNext[track.seq[j]] === track.seq[j + 1] ? 0 : NaN;
  };
  return { prev: at(k - 1), next: at(k + 1), holeBefore: gap(k - 1), holeAfter: gap(k) };
}

export function holeText(bytes: number | null): string {
  if (bytes === null) return '—';
  if (Number.isNaN(bytes)) return 'unknown';
  return bytes === 0 ? 'none (adjacent)' : bytesText(bytes);
}
