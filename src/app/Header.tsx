import { OpenFileButton } from './input/OpenFileButton.tsx';
import { SamplePicker } from './input/SamplePicker.tsx';
import { HistorySwitcher } from './input/HistorySwitcher.tsx';
import { KeptButton } from './input/KeptButton.tsx';
import { ShareButton } from './share/SharePanel.tsx';
import { reportLine, reportMeta } from './base/report.ts';

export function Header() {
  // A one-file report (vmscope report) says what it is, and offers nothing that fetches or keeps.
  const report = reportMeta();
  if (report !== null) {
    return (
      <header className="header">
        <div className="brand">
          <h1>vmscope report</h1>
          <p className="tagline" data-testid="report-line">
            {reportLine(report)}
          </p>
        </div>
        <div className="toolbar">
          <OpenFileButton />
          <HistorySwitcher />
        </div>
      </header>
    );
  }
  return (
    <header className="header">
      <div className="brand">
        <h1>vmscope</h1>
        <p className="tagline">
          The Linux kernel&apos;s vmalloc address space, read from <code>/proc/vmallocinfo</code>. Parsed in your
          browser; nothing is uploaded, and the dumps you open are kept only on this device.
        </p>
      </div>
      <div className="toolbar">
        <SamplePicker />
        <OpenFileButton />
        <HistorySwitcher />
        <KeptButton />
        <ShareButton />
      </div>
    </header>
  );
}
