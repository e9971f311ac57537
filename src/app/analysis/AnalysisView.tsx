// The analysis panel under the map: Compare · Fragmentation · Cross-checks, as keyboard-accessible
// tabs (arrow keys move between them, as in the WAI-ARIA tabs pattern), and a tab the page may add
// (What grew, for a series: it belongs to another feature, so App passes it in).

import { useId, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
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

/** A tab from outside the analysis feature, with its panel. */
export interface ExtraTab {
  id: Exclude<AnalysisTab, (typeof ANALYSIS_TABS)[number]>;
  label: string;
  title: string;
  /** A few words beside the label (what the tab found), or null. */
  badge?: ReactNode;
  panel: ReactNode;
}

const LABEL: Record<(typeof ANALYSIS_TABS)[number], string> = {
  compare: 'Compare',
  fragmentation: 'Fragmentation',
  checks: 'Cross-checks',
};

const TITLE: Record<(typeof ANALYSIS_TABS)[number], string> = {
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

/** Compare · Fragmentation · Cross-checks (and `extra`), under the map. */
export function AnalysisView({ extra = null }: { extra?: ExtraTab | null }) {
  const hasModel = useStore((s) => s.model !== null);
  const stored = useStore((s) => s.analysisTab);
  const base = useId();
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  if (!hasModel) return null;
  const all: AnalysisTab[] = extra ? [...ANALYSIS_TABS, extra.id] : [...ANALYSIS_TABS];
  // A tab the page no longer offers (What grew after a single dump replaced the series) falls back to Compare.
  const tab: AnalysisTab = all.includes(stored) ? stored : 'compare';

  const onKeyDown = (e: KeyboardEvent) => {
    const k = all.indexOf(tab);
    const next = e.key === 'ArrowRight' ? (k + 1) % all.length : e.key === 'ArrowLeft' ? (k + all.length - 1) % all.length : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    setAnalysisTab(all[next]);
    tabs.current[all[next]]?.focus();
  };

  return (
    <section className="analysis" aria-label="Analysis" data-testid="analysis">
      <div className="analysis-tabs" role="tablist" aria-label="Analysis views" onKeyDown={onKeyDown}>
        {all.map((t) => (
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
            title={t === extra?.id ? extra.title : TITLE[t as (typeof ANALYSIS_TABS)[number]]}
            data-testid={`analysis-tab-${t}`}
            onClick={() => setAnalysisTab(t)}
          >
            {t === extra?.id ? extra.label : LABEL[t as (typeof ANALYSIS_TABS)[number]]}
            {t === extra?.id ? extra.badge : <Badge tab={t} />}
          </button>
        ))}
      </div>
      <div className="analysis-body" role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${tab}`} data-testid={`analysis-panel-${tab}`}>
        {tab === 'compare' && <ComparePanel />}
        {tab === 'fragmentation' && <FragmentationPanel />}
        {tab === 'checks' && <CrossChecksPanel />}
        {tab === extra?.id && extra.panel}
      </div>
    </section>
  );
}
