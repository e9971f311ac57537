import { DumpHeading } from './components/DumpHeading.tsx';
import { Header } from './components/Header.tsx';
import { SummaryView } from './components/SummaryView.tsx';

export function App() {
  return (
    <div className="app">
      <Header />
      <main className="main">
        <DumpHeading />
        <SummaryView />
      </main>
      <footer className="footer">
        vmscope reads <code>/proc/vmallocinfo</code> as printed by <code>mm/vmalloc.c</code>. Get yours with{' '}
        <code>sudo cat /proc/vmallocinfo &gt; vmallocinfo.txt</code>, then open it above.
      </footer>
    </div>
  );
}
