import { DumpHeading } from './components/DumpHeading.tsx';
import { Header } from './components/Header.tsx';
import { PointerModeNote } from './components/PointerModeNote.tsx';
import { SummaryView } from './components/SummaryView.tsx';
import { MapView } from './map/MapView.tsx';
import { useStore } from './state/store.ts';

export function App() {
  const mode = useStore((s) => s.summary?.pointerMode ?? null);
  return (
    <div className="app">
      <Header />
      <main className="main">
        <DumpHeading />
        {mode && <PointerModeNote mode={mode} />}
        <MapView />
        <SummaryView />
      </main>
      <footer className="footer">
        vmscope reads <code>/proc/vmallocinfo</code> as printed by <code>mm/vmalloc.c</code>. Get yours with{' '}
        <code>sudo cat /proc/vmallocinfo &gt; vmallocinfo.txt</code>, then open it above.
      </footer>
    </div>
  );
}
