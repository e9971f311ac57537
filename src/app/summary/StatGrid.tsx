import type { ReactNode } from 'react';
import type { Summary } from '../../lib/index.ts';
import { formatBytes, formatCount, PAGE_SIZE } from '../../lib/index.ts';
import { Bytes } from '../ui/Bytes.tsx';

function Stat({ label, value, detail, testId }: { label: string; value: ReactNode; detail?: ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd className="stat-value" data-testid={testId}>
        {value}
      </dd>
      {detail && <dd className="stat-detail">{detail}</dd>}
    </div>
  );
}

/** The headline numbers of a dump. */
export function StatGrid({ summary, diagnosticCount }: { summary: Summary; diagnosticCount: number }) {
  const gap = summary.largestGapBytes;
  const free = summary.largestFreeVmallocBytes;
  return (
    <dl className="stats">
      <Stat
        label="Areas"
        testId="area-count"
        // The plain number (no separators) so it reads the same as `grep -c ^0x`.
        value={<span title={`${summary.areas} area lines`}>{summary.areas}</span>}
        detail={`of ${formatCount(summary.lines)} lines`}
      />
      <Stat
        label="Total size"
        testId="total-bytes"
        value={<Bytes value={summary.bytes} />}
        detail={
          <>
            sum of the size column, <Bytes value={summary.guardBytes} /> of it guard pages
          </>
        }
      />
      <Stat
        label="Pages"
        testId="pages"
        value={formatCount(summary.pages)}
        detail={`${formatBytes(summary.pages * PAGE_SIZE)} of memory behind the areas`}
      />
      {free !== null ? (
        // With a known vmalloc range, the free stretch a vmalloc could take (what VmallocChunk
        // meant): the gap between two areas may straddle regions (armhf's lowmem, x86_64's modules).
        <Stat label="Largest free hole" testId="largest-gap" value={<Bytes value={free} />} detail="free stretch of the vmalloc range, its ends included (what VmallocChunk meant)" />
      ) : (
        <Stat
          label="Largest gap"
          testId="largest-gap"
          value={gap === null ? '—' : <Bytes value={gap} />}
          detail={gap === null ? 'needs real addresses' : 'between two neighbouring areas (not the free space past the last one)'}
        />
      )}
      <Stat
        label="Diagnostics"
        testId="diagnostic-count"
        value={formatCount(diagnosticCount)}
        detail={
          diagnosticCount === 0
            ? 'every line was read'
            : summary.diagnostics === 0
              ? 'no line skipped'
              : `${formatCount(summary.diagnostics)} ${summary.diagnostics === 1 ? 'line' : 'lines'} skipped`
        }
      />
    </dl>
  );
}
