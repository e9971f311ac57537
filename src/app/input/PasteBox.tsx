import { useId, useState } from 'react';
import { loadText } from '../state/actions.ts';
import { useStore } from '../state/store.ts';
import { sourceOf } from '../state/select.ts';

/** A box to paste a dump into, for when Ctrl/Cmd+V on the page is not convenient. */
export function PasteBox() {
  const id = useId();
  const [text, setText] = useState('');
  const read = async () => {
    if (!text.trim()) return;
    const before = useStore.getState().currentId;
    await loadText(text);
    // Cleared only when the text was used: a dump or link now on screen, or /proc/meminfo or
    // /proc/modules attached to the dump on screen. Refused text (garbage, binary, a bad link) stays
    // in the box to be fixed, next to the message that says why.
    const s = useStore.getState();
    const shown = s.currentId !== before && (sourceOf(s)?.kind === 'paste' || sourceOf(s)?.kind === 'link');
    if (shown || s.notice?.attached) setText((now) => (now === text ? '' : now));
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
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void read();
        }}
      />
      <button type="button" className="button" data-testid="paste-submit" disabled={!text.trim()} onClick={() => void read()}>
        Read pasted text
      </button>
    </section>
  );
}
