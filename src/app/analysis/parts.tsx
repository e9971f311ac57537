// Small pieces shared by the analysis views: exact addresses, signed byte counts, clickable rows.

import type { ReactNode } from 'react';
import { formatBytes, hexBig } from '../../lib/index.ts';
import type { Ghost } from '../base/colours.ts';
import { signedBytes } from './compare.ts';

/** An exact address in monospace. */
export function Hex({ value, digits = 16 }: { value: bigint; digits?: number }) {
  return <code className="hex">{hexBig(value, digits)}</code>;
}

/** start–end in monospace, with the size in the tooltip. */
export function Range({ range, digits = 16 }: { range: Ghost; digits?: number }) {
  const bytes = Number(range.end - range.start);
  return (
    <code className="hex" title={`${formatBytes(bytes)} (${bytes.toLocaleString('en-US')} bytes)`}>
      {hexBig(range.start, digits)}–{hexBig(range.end, digits)}
    </code>
  );
}

/** "+124 KiB" in green, "−8 KiB" in red, with the exact bytes in the tooltip. */
export function Signed({ bytes }: { bytes: number }) {
  const cls = bytes > 0 ? 'delta is-up' : bytes < 0 ? 'delta is-down' : 'delta';
  return (
    <span className={cls} title={`${bytes > 0 ? '+' : ''}${bytes.toLocaleString('en-US')} bytes`}>
      {signedBytes(bytes)}
    </span>
  );
}

/** The name cell's button of a row that shows something on the map (the whole row is clickable too). */
export function ZoomButton({ onZoom, label, testId, children }: { onZoom: () => void; label: string; testId?: string; children: ReactNode }) {
  return (
    <button
      type="button"
      className="link-button"
      title={label}
      aria-label={label}
      data-testid={testId}
      onClick={(e) => {
        e.stopPropagation();
        onZoom();
      }}
    >
      {children}
    </button>
  );
}

/** A labelled number in the analysis panel's stat rows. */
export function Figure({ label, value, detail, testId }: { label: string; value: ReactNode; detail?: ReactNode; testId?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className="figure-value" data-testid={testId}>
        {value}
      </dd>
      {detail && <dd className="figure-detail">{detail}</dd>}
    </div>
  );
}
