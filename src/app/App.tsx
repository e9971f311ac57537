import { DumpHeading } from './summary/DumpHeading.tsx';
import { Header } from './Header.tsx';
import { GlobalInput } from './input/GlobalInput.tsx';
import { InputMessages } from './input/InputMessages.tsx';
import { PasteBox } from './input/PasteBox.tsx';
import { PointerModeNote } from './summary/PointerModeNote.tsx';
import { SummaryView } from './summary/SummaryView.tsx';
import { AreasTable } from './table/AreasTable.tsx';
import { MapView } from './map/MapView.tsx';
import { AnalysisView } from './analysis/AnalysisView.tsx';
import { TimelineStrip } from './timeline/TimelineStrip.tsx';
import { useHasTimeline, WhatGrewBadge, WhatGrewPanel } from './timeline/WhatGrewPanel.tsx';
import { LinkNotice } from './share/LinkNotice.tsx';
import { useStore } from './state/store.ts';
import './input/input.css';
import { linkHidesAddresses, summaryOf } from './state/select.ts';

export function App() {
  const mode = useStore((s) => summaryOf(s)?.pointerMode ?? null);
  const relative = useStore(linkHidesAddresses);
  const series = useHasTimeline();
  return (
    <div className="app">
      <Header />
      <main className="main">
        <DumpHeading />
        <LinkNotice />
        <InputMessages />
        {mode && <PointerModeNote mode={mode} relative={relative} />}
        <TimelineStrip />
        <MapView />
        <AnalysisView extra={series ? { id: 'growth', label: 'What grew', title: 'Callers, modules and kinds ranked by growth over the range on the strip (else the whole series)', badge: <WhatGrewBadge />, panel: <WhatGrewPanel /> } : null} />
        <SummaryView />
        <AreasTable />
        <PasteBox />
      </main>
      <footer className="footer">
        vmscope reads <code>/proc/vmallocinfo</code> as printed by <code>mm/vmalloc.c</code>. Get yours with{' '}
        <code>sudo cat /proc/vmallocinfo &gt; vmallocinfo.txt</code>, then open it above, drop it on the page or paste it.
      </footer>
      <GlobalInput />
    </div>
  );
}
