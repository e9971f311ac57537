import { useEffect, useId, useRef, useState } from 'react';
import { usePopover } from '../ui/usePopover.ts';
import { formatBytes, formatCount } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import { LINK_LIMIT, makeFile, makeLink } from './link.ts';
import type { MadeLink } from './link.ts';
import './share.css';
import { captureOf, fileNameOf } from '../state/select.ts';
import { selectTimeline } from '../state/timeline.ts';
import { RecordingShare } from './RecordingShare.tsx';
import { HIDDEN_NOTE } from '../../lib/series/read.ts';

function downloadName(fileName: string | null): string {
  const base = (fileName ?? 'snapshot').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'snapshot';
  return `${base}.vmscope`;
}

/** The companions attached to the dump on screen, by name: "/proc/meminfo and /proc/modules". */
function attachedNames(capture: { meminfo: readonly unknown[]; modules: readonly unknown[] }): string {
  return [capture.meminfo.length > 0 && '/proc/meminfo', capture.modules.length > 0 && '/proc/modules'].filter(Boolean).join(' and ');
}

/** The Share button and its panel: the link, a copy button, a size meter, the address choice. */
export function ShareButton() {
  const id = useId();
  const { open, setOpen, ref, onKeyDown } = usePopover();
  const [includeAddresses, setIncludeAddresses] = useState(false);
  const [link, setLink] = useState<(MadeLink & { includeAddresses: boolean }) | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const model = useStore((s) => s.model);
  const viewStart = useStore((s) => s.viewStart);
  const viewEnd = useStore((s) => s.viewEnd);
  const selected = useStore((s) => s.selected);
  const colourMode = useStore((s) => s.colourMode);
  const collapse = useStore((s) => s.collapse);
  const fileName = useStore((s) => fileNameOf(s));
  const capture = useStore((s) => captureOf(s));
  const raw = model?.snapshot.pointerMode === 'raw';
  const series = useStore((s) => selectTimeline(s)?.series);
  // A recording opened from a link that hid its addresses still holds offsets: it says so when passed on.
  const hiddenBefore = useStore((s) => selectTimeline(s)?.notes.includes(HIDDEN_NOTE) ?? false);

  // The link follows the dump and view on screen while the panel is open.
  useEffect(() => {
    if (!open) return;
    let live = true;
    makeLink(includeAddresses).then(
      (made) => {
        if (!live) return;
        setLink(made && { ...made, includeAddresses });
        setFailed(null);
        setCopied(false);
      },
      (err: unknown) => live && setFailed(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [open, includeAddresses, model, viewStart, viewEnd, selected, colourMode, collapse]);

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
    } catch {
      urlRef.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
  };

  const download = async () => {
    const blob = await makeFile(includeAddresses);
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = downloadName(fileName);
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const tooLong = link !== null && link.length > LINK_LIMIT;
  return (
    <div className="popover link-share" ref={ref}>
      <button
        type="button"
        className="button"
        data-testid="share-button"
        aria-expanded={open}
        aria-controls={id}
        disabled={!model}
        onClick={() => setOpen(!open)}
      >
        Share
      </button>
      {open && (
        <div
          className="popover-panel link-share-panel"
          id={id}
          role="dialog"
          aria-label="Share this dump"
          data-testid="share-panel"
          onKeyDown={onKeyDown}
        >
          {series && <RecordingShare series={series} fileName={fileName} hiddenBefore={hiddenBefore} />}
          {series && <p className="link-share-subhead">Or only the moment on screen:</p>}
          <p className="popover-lead">
            This link carries every area and this view (range, selection, colours) in its <code>#</code> fragment, which the browser never sends to a
            server; opening it needs no server either.
          </p>
          <p className="link-share-note" data-testid="share-device">
            The dumps you open stay on this device (kept in this browser for the next visit, listed under Kept); nothing is uploaded unless you send this link.
          </p>
          <p className="link-share-note" data-testid="share-left-out">
            Left out: the file name, the skipped lines{capture && (capture.meminfo.length > 0 || capture.modules.length > 0) ? ` and the attached ${attachedNames(capture)}` : ', any attached /proc/meminfo or /proc/modules'}.
          </p>
          {raw && (
            <label className="link-share-check">
              <input type="checkbox" data-testid="share-include-addresses" checked={includeAddresses} onChange={(e) => setIncludeAddresses(e.target.checked)} />
              include absolute addresses
            </label>
          )}
          {raw && (
            <p className={includeAddresses ? 'link-share-warning' : 'link-share-note'} data-testid="share-address-note">
              {includeAddresses
                ? 'The link shows real kernel addresses. They reveal where KASLR placed the kernel on that boot: share it only with people you trust.'
                : 'Absolute addresses are hidden (they would defeat KASLR): the link keeps the layout relative to the first area, and says so when opened.'}
            </p>
          )}
          <div className="link-share-row">
            <input ref={urlRef} className="link-share-url" data-testid="share-url" readOnly value={link?.url ?? ''} data-addresses={link ? (link.includeAddresses ? 'included' : 'hidden') : undefined} aria-label="Share link" onFocus={(e) => e.target.select()} />
            <button type="button" className="button" data-testid="share-copy" disabled={!link} onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          {failed && (
            <p className="error" role="alert">
              Could not make a link: {failed}
            </p>
          )}
          {link && (
            <p className="link-share-size">
              <meter data-testid="share-size" min={0} max={LINK_LIMIT} high={LINK_LIMIT * 0.75} value={Math.min(link.length, LINK_LIMIT)} />
              <span>
                {formatCount(link.length)} characters of a practical {formatCount(LINK_LIMIT)}
                {model ? ` · ${(link.length / Math.max(1, model.snapshot.count)).toFixed(1)} per area` : ''}
              </span>
            </p>
          )}
          {tooLong && (
            <div className="link-share-toolong" data-testid="share-too-long">
              <p>This dump is too large for a practical link ({formatBytes(link.length)}). Send the compact file instead: vmscope opens it like any dump.</p>
              <button type="button" className="button" data-testid="share-download" onClick={() => void download()}>
                Download {downloadName(fileName)}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
