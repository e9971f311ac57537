import { useId, useState } from 'react';
import { loadText } from '../state/actions.ts';

/** A box to paste a dump into, for when Ctrl/Cmd+V on the page is not convenient. */
export function PasteBox() {
  const id = useId();
  const [text, setText] = useState('');
  const read = () => {
    if (!text.trim()) return;
    void loadText(text);
    setText('');
  };
  return (
    <section className="paste-box" aria-labelledby={id}>
      <h2 id={id}>Paste a dump</h2>
      <p className="note">
        Paste the output of <code>sudo cat /proc/vmallocinfo</code> (prompts, <code>/proc/meminfo</code> and{' '}
        <code>/proc/modules</code> lines may come along) or a vmscope share link, or press Ctrl/Cmd+V anywhere on the
        page. You can also drop a file anywhere.
      </p>
      <textarea
        data-testid="paste-input"
        value={text}
        rows={5}
        spellCheck={false}
        placeholder="0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0xd1/0x110 pages=4 vmalloc N0=4"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) read();
        }}
      />
      <button type="button" className="button" data-testid="paste-submit" disabled={!text.trim()} onClick={read}>
        Read pasted text
      </button>
    </section>
  );
}
