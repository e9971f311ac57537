// Fragmentation: free space in the vmalloc region, its largest hole, the hole-size histogram, and
// the probe "would a vmalloc of N bytes fit, and where?" with its candidate holes on the map.

import { scaleLinear } from 'd3-scale';
import { useId, useMemo, useState } from 'react';
import { evidenceWords, formatBytes, fragmentation, freeHoles, toBigInt } from '../../lib/index.ts';
import type { Model, ProbeResult } from '../../lib/index.ts';
import { loadSample } from '../state/actions.ts';
import { useStore } from '../state/store.ts';
import { clearProbe, highlightProbe, runProbe, zoomToAddresses, zoomToFirstFit } from './actions.ts';
import { areaName, blockersSentence, bucketHoles, fitSentence, histogramRows, holeNeighbours, indexMeaning, needSentence } from './fragmentation.ts';
import { Figure, Range } from './parts.tsx';
import { samplePathOf, summaryOf } from '../state/select.ts';

const EXAMPLES = ['16M', '1.5 MiB', '0x10000', '4096', '1G'];

/** Where vmalloc space really runs out: a 32-bit machine booted with vmalloc=64M and 154 modules. */
export const NEAR_FULL_SAMPLE = 'kernels/i386-6.1.0-50-686-after-insmod-vmalloc64m-raw.vmallocinfo';

/** A link to the nearly full sample, for dumps with room to spare. */
function NearFullHint() {
  const here = useStore(samplePathOf);
  const listed = useStore((s) => s.samples.some((x) => x.path === NEAR_FULL_SAMPLE));
  if (here === NEAR_FULL_SAMPLE || !listed) return null;
  return (
    <p className="hint" data-testid="near-full-hint">
      Space runs out on 32-bit machines (40–240 MiB of vmalloc space):{' '}
      <button type="button" className="link-button" onClick={() => void loadSample(NEAR_FULL_SAMPLE)} data-testid="near-full-sample">
        open the nearly full i386 sample
      </button>{' '}
      (booted with vmalloc=64M, 154 modules loaded) and ask whether 8M would fit.
    </p>
  );
}

function Histogram({ model }: { model: Model }) {
  const rows = useMemo(() => histogramRows(bucketHoles(freeHoles(model))), [model]);
  if (rows.length === 0) return <p className="empty">No free holes in the vmalloc region.</p>;
  const max = Math.max(...rows.map((r) => r.count));
  const width = scaleLinear().domain([0, max]).range([0, 100]);
  return (
    <table className="table histogram" data-testid="hole-histogram">
      <caption>Free holes in the vmalloc region by size (power-of-two buckets)</caption>
      <thead>
        <tr>
          <th scope="col">Hole size</th>
          <th scope="col" className="histogram-bar-col">
            Holes
          </th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col" className="num">
            Free
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.from} className={r.count === 0 ? 'is-empty' : undefined}>
            <th scope="row">{r.label}</th>
            <td className="histogram-bar-col">
              <span className="share" aria-hidden="true">
                <span className="share-fill" style={{ width: `${r.count === 0 ? 0 : Math.max(1.5, width(r.count))}%` }} />
              </span>
            </td>
            <td className="num">{r.count.toLocaleString('en-US')}</td>
            <td className="num">{r.count === 0 ? '—' : formatBytes(r.bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An area of the dump as a link that zooms the map to it and selects it. */
function AreaLink({ model, index, digits }: { model: Model; index: number; digits: number }) {
  const c = model.snapshot.columns;
  const range = { start: toBigInt(c.startHi[index], c.startLo[index]), end: toBigInt(c.endHi[index], c.endLo[index]) };
  return (
    <>
      <button type="button" className="link-button" title="Show this area on the map" onClick={() => zoomToAddresses(range, index, 0.5)}>
        {areaName(model, index)}
      </button>{' '}
      ({formatBytes(c.size[index])} at <Range range={range} digits={digits} />)
    </>
  );
}

/** Why a request does not fit: the largest hole, what bounds it, and the areas that split the free space. */
function WhyNot({ model, r, holeCount, digits }: { model: Model; r: ProbeResult; holeCount: number; digits: number }) {
  const largest = r.largest;
  if (!largest) return null;
  const around = holeNeighbours(model, largest);
  const blockers = r.blockers;
  const shown = blockers ? blockers.areas.slice(0, 8) : [];
  return (
    <div className="probe-why" data-testid="probe-why">
      <p>
        The largest free hole is{' '}
        <button type="button" className="link-button" title="Zoom the map to this hole" onClick={() => zoomToAddresses(largest, null, 0.5)}>
          {formatBytes(largest.bytes)}
        </button>{' '}
        at <Range range={largest} digits={digits} />
        {around.before !== null && (
          <>
            , after <AreaLink model={model} index={around.before} digits={digits} />
          </>
        )}
        {around.after !== null ? (
          <>
            {' '}
            and before <AreaLink model={model} index={around.after} digits={digits} />
          </>
        ) : (
          ', up to the end of the range'
        )}
        .
      </p>
      <p>{blockersSentence(r, holeCount)}</p>
      {blockers && (
        <ul className="probe-blockers" data-testid="probe-blockers">
          {shown.map((i) => (
            <li key={i}>
              <AreaLink model={model} index={i} digits={digits} />
            </li>
          ))}
          {blockers.areas.length > shown.length && <li>… and {blockers.areas.length - shown.length} more</li>}
        </ul>
      )}
    </div>
  );
}

function Probe({ largest, digits, model, holeCount }: { largest: number | null; digits: number; model: Model; holeCount: number }) {
  const probe = useStore((s) => s.probe);
  const error = useStore((s) => s.probeError);
  const highlighted = useStore((s) => s.probe !== null && s.found !== null && s.found.others !== undefined);
  const [text, setText] = useState(probe?.text ?? '16M');
  const inputId = useId();
  const resultId = useId();
  const r = probe?.result ?? null;
  const first = r && r.firstFit >= 0 ? r.candidates[r.firstFit] : null;
  return (
    <div className="probe" data-testid="probe">
      <form
        className="probe-form"
        onSubmit={(e) => {
          e.preventDefault();
          runProbe(text);
        }}
      >
        <label htmlFor={inputId}>Would a vmalloc of</label>
        <input
          id={inputId}
          className="text-input probe-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={resultId}
          title="A size: 16M, 1.5 MiB, 0x10000, 4096 (bytes), 64k"
          data-testid="probe-input"
        />
        <span>fit?</span>
        <button type="submit" className="button button-small" data-testid="probe-run">
          Check
        </button>
        <span className="probe-examples">
          try{' '}
          {EXAMPLES.map((x) => (
            <button
              key={x}
              type="button"
              className="link-button"
              onClick={() => {
                setText(x);
                runProbe(x);
              }}
            >
              {x}
            </button>
          ))}
        </span>
      </form>
      <div id={resultId} aria-live="polite" data-testid="probe-result">
        {error && <p className="error-text">{error}</p>}
        {probe && r && (
          <>
            <p className={r.fits ? 'probe-answer is-yes' : 'probe-answer is-no'}>
              <strong>{fitSentence(r, largest)}</strong> {needSentence(probe.bytes, r)}
            </p>
            {!r.fits && !r.reason && <WhyNot model={model} r={r} holeCount={holeCount} digits={digits} />}
            {first && (
              <p className="probe-where">
                vmalloc takes the lowest address that fits (first fit): the hole <Range range={first} digits={digits} /> ({formatBytes(first.bytes)}).{' '}
                {r.candidates.length > 1 && `The ${r.candidates.length === r.fittingCount ? '' : `${r.candidates.length} smallest of the `}${r.fittingCount} candidate holes are outlined on the map, first fit strongest.`}
              </p>
            )}
            <div className="probe-actions">
              {first && (
                <button type="button" className="button button-small" onClick={zoomToFirstFit} data-testid="probe-zoom">
                  Zoom to the first-fit hole
                </button>
              )}
              {r.fits && !highlighted && (
                <button type="button" className="button button-small" onClick={highlightProbe}>
                  Outline the holes again
                </button>
              )}
              <button type="button" className="button button-small" onClick={clearProbe}>
                Clear
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

/** The Fragmentation tab. */
export function FragmentationPanel() {
  const model = useStore((s) => s.model);
  const mode = useStore((s) => summaryOf(s)?.pointerMode ?? null);
  const frag = useMemo(() => (model && model.byAddress ? fragmentation(model) : null), [model]);
  if (!model) return null;
  if (!frag || !model.byAddress) {
    return (
      <p className="hint" data-testid="fragmentation-unavailable">
        Fragmentation cannot be worked out for this dump: its addresses are {mode === 'hashed' ? 'hashed (kptr_restrict=0)' : mode === 'zero' ? 'printed as zeros (kptr_restrict=2, or read without CAP_SYSLOG)' : 'hidden'}, so
        where the free holes are and how big they are is unknown. For real addresses, capture it as root (CAP_SYSLOG)
        with <code>kernel.kptr_restrict=1</code>, or boot with <code>no_hash_pointers</code>.
      </p>
    );
  }
  const digits = model.snapshot.addressDigits || 16;
  const largest = frag.largest;
  const vm = model.layout?.regions.find((r) => r.id === 'vmalloc') ?? null;
  return (
    <div className="fragmentation-panel">
      {vm && (
        <p className="hint frag-range" data-testid="frag-range">
          The vmalloc range <Range range={vm} digits={digits} /> ({formatBytes(Number(vm.end - vm.start))}) of the {model.layout?.name} layout, fixed by{' '}
          {evidenceWords(model.layout?.evidence ?? [])}
          {model.layout?.evidence.includes('meminfo') ? '' : '; attach /proc/meminfo to fix it exactly from VmallocTotal'}.
        </p>
      )}
      <dl className="figures">
        <Figure label="Free in the vmalloc region" value={formatBytes(frag.freeBytes)} testId="frag-free" detail="between areas and to the region’s ends" />
        <Figure
          label="Largest hole"
          testId="frag-largest"
          value={
            largest ? (
              <button type="button" className="link-button" title="Zoom the map to this hole" onClick={() => zoomToAddresses({ start: largest.start, end: largest.end }, null, 0.5)}>
                {formatBytes(largest.bytes)}
              </button>
            ) : (
              '—'
            )
          }
          detail="what VmallocChunk reported before Linux 4.4 (now always 0)"
        />
        <Figure label="Holes" value={frag.holeCount.toLocaleString('en-US')} testId="frag-holes" />
        <Figure
          label="Fragmentation index"
          testId="frag-index"
          value={frag.index === null ? '—' : frag.index.toFixed(3)}
          detail={`1 − largest ÷ free: 0 is one big hole, near 1 is many small ones; here ${indexMeaning(frag.index)}`}
        />
      </dl>
      <div className="fragmentation-body">
        <Probe largest={largest ? largest.bytes : null} digits={digits} model={model} holeCount={frag.holeCount} />
        <Histogram model={model} />
      </div>
      {frag.index !== null && frag.freeBytes > 0.5 * Number(vm ? vm.end - vm.start : 0) && <NearFullHint />}
    </div>
  );
}
