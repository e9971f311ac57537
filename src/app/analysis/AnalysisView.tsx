// The analysis panel under the map: Compare · Fragmentation · Cross-checks, as keyboard-accessible
// tabs (arrow keys move between them, as in the WAI-ARIA tabs pattern).

import { useId, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { useStore } from '../state/store.ts';
import { setAnalysisTab } from './actions.ts';
import { signedBytes } from './compare.ts';
import { ComparePanel } from './ComparePanel.tsx';
import { CrossChecksPanel } from './CrossChecksPanel.tsx';
import { FragmentationPanel } from './FragmentationPanel.tsx';
import { ANALYSIS_TABS } from '../state/analysisSlice.ts';
import type { AnalysisTab } from '../state/analysisSlice.ts';
import './analysis.css';
import { captureOf } from '../state/select.ts';

const LABEL: Record<AnalysisTab, string> = {
  compare: 'Compare',
  fragmentation: 'Fragmentation',
  checks: 'Cross-checks',
};

const TITLE: Record<AnalysisTab, string> = {
  compare: 'What changed between two loaded dumps (before / after insmod, a test run …)',
  fragmentation: 'Free holes in the vmalloc region, and whether an allocation of a given size would fit',
  checks: 'The dump against /proc/meminfo and /proc/modules, when you add them',
};

function Badge({ tab }: { tab: AnalysisTab }) {
  const net = useStore((s) => (tab === 'compare' && s.comparison ? s.comparison.diff.netBytes : null));
  const sections = useStore((s) => (tab === 'checks' ? (captureOf(s)?.meminfo.length ? 1 : 0) + (captureOf(s)?.modules.length ? 1 : 0) : 0));
  const fits = useStore((s) => (tab === 'fragmentation' && s.probe ? s.probe.result.fits : null));
  if (net !== null) return <span className="tab-badge">net {signedBytes(net)}</span>;
  if (sections > 0) return <span className="tab-badge">{sections === 2 ? 'meminfo + modules' : '1 file'}</span>;
  if (fits !== null) return <span className="tab-badge">{fits ? 'fits' : 'does not fit'}</span>;
  return null;
}

/** Compare · Fragmentation · Cross-checks, under the map. */
export function AnalysisView() {
  const hasModel = useStore((s) => s.model !== null);
  const tab = useStore((s) => s.analysisTab);
  const base = useId();
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  if (!hasModel) return null;

  const onKeyDown = (e: KeyboardEvent) => {
    const k = ANALYSIS_TABS.indexOf(tab);
    const next =
      e.key === 'ArrowRight' ? (k + 1) % ANALYSIS_TABS.length : e.key === 'ArrowLeft' ? (k + ANALYSIS_TABS.length - 1) % ANALYSIS_TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? ANALYSIS_TABS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    setAnalysisTab(ANALYSIS_TABS[next]);
    tabs.current[ANALYSIS_TABS[next]]?.focus();
  };

  return (
    <section className="analysis" aria-label="Analysis" data-testid="analysis">
      <div className="analysis-tabs" role="tablist" aria-label="Analysis views" onKeyDown={onKeyDown}>
        {ANALYSIS_TABS.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t}`}
            aria-selected={t === tab}
            aria-controls={`${base}-panel`}
            tabIndex={t === tab ? 0 : -1}
            className={t === tab ? 'analysis-tab is-active' : 'analysis-tab'}
            title={TITLE[t]}
            data-testid={`analysis-tab-${t}`}
            onClick={() => setAnalysisTab(t)}
          >
            {LABEL[t]}
            <Badge tab={t} />
          </button>
        ))}
      </div>
      <div className="analysis-body" role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${tab}`} data-testid={`analysis-panel-${tab}`}>
        {tab === 'compare' && <ComparePanel />}
        {tab === 'fragmentation' && <FragmentationPanel />}
        {tab === 'checks' && <CrossChecksPanel />}
      </div>
    </section>
  );
}
