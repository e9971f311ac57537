import { OpenFileButton } from './input/OpenFileButton.tsx';
import { SamplePicker } from './input/SamplePicker.tsx';
import { HistorySwitcher } from './input/HistorySwitcher.tsx';
import { KeptButton } from './input/KeptButton.tsx';
import { ShareButton } from './share/SharePanel.tsx';

export function Header() {
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
