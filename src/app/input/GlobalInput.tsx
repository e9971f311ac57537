// Drop a file (or several: one series) anywhere on the page, or paste with Ctrl/Cmd+V anywhere
// outside a text field. Listens on the window; draws a full-page overlay while files are dragged
// over it. Also the timeline's keys (`,` `.` Home End, space), page-wide while a series is on
// screen and focus is not in a text field.

import { useEffect, useState } from 'react';
import { loadFile, loadFiles, loadText, message } from '../state/actions.ts';
import { useStore } from '../state/store.ts';
import { droppedFolders, folderAsTar } from './folder.ts';
import { timelineKey } from '../state/timeline.ts';

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** True when the key events of this element belong to it (typing, not a page-wide paste). */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'range', 'file', 'submit'].includes(target.type);
}

/** Where space and Home/End already mean something: buttons, links, summaries, tabs, the table. */
function ownsKeys(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], summary, [role="tab"], [role="grid"], [role="slider"], [role="listbox"]') !== null;
}

/** Load what a DataTransfer carries: its files (several dropped: one series), else its text. True when there was something. */
function loadTransfer(data: DataTransfer, via: 'drop' | 'paste'): boolean {
  // A dropped folder (a sosreport unpacked): the files that matter, packed as one tar (folder.ts).
  const folder = via === 'drop' ? droppedFolders(data)[0] : undefined;
  if (folder) {
    folderAsTar(folder).then(
      (file) => loadFile(file, via),
      (err: unknown) => useStore.setState({ notice: { message: `${folder.name} was not read: ${message(err)}`, diagnostics: [], diagnosticCount: 0 } }),
    );
    return true;
  }
  const file = data.files[0];
  if (data.files.length > 1) {
    void loadFiles([...data.files], via);
    return true;
  }
  if (file) {
    void loadFile(file, via);
    return true;
  }
  const text = data.getData('text/plain');
  if (text) {
    void loadText(text, via === 'drop' ? 'dropped text' : 'pasted text');
    return true;
  }
  return false;
}

export function GlobalInput() {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0; // dragenter/dragleave fire for every element crossed
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      depth = 0;
      setDragging(false);
      if (!e.dataTransfer) return;
      if (hasFiles(e) || !isTextField(e.target)) {
        if (loadTransfer(e.dataTransfer, 'drop')) e.preventDefault();
      }
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTextField(e.target) || !e.clipboardData) return;
      if (loadTransfer(e.clipboardData, 'paste')) e.preventDefault();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTextField(e.target)) return;
      if ((e.key === ' ' || e.key === 'Home' || e.key === 'End') && ownsKeys(e.target)) return;
      if (timelineKey(e.key)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('paste', onPaste);
    };
  }, []);

  if (!dragging) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <p className="drop-title">Drop a dump to open it</p>
        <p className="drop-note">
          <code>/proc/vmallocinfo</code> as text or gzip, up to 200 MiB, or a log or several files of it over time (one
          series); or a sosreport (<code>.tar.xz</code>, <code>.tar.gz</code> or its folder), an Android bugreport, crash&apos;s{' '}
          <code>kmem -v</code>. It is read here, in your browser; nothing is uploaded.
        </p>
      </div>
    </div>
  );
}
