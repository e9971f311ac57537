import { useEffect, useState } from 'react';
import { formatBytes, formatCount } from '../../lib/index.ts';
import type { Series } from '../../lib/series/series.ts';
import { LINK_LIMIT } from './link.ts';
import { makeRecording, recordingFileName } from './recording.ts';
import type { MadeRecording } from './recording.ts';

/** The Share panel's part for a series: the whole recording as a link when it fits, else as a file. */
export function RecordingShare({ series, fileName, hiddenBefore }: { series: Series; fileName: string | null; hiddenBefore: boolean }) {
  const [includeAddresses, setIncludeAddresses] = useState(false);
  const [latest, setMade] = useState<(MadeRecording & { includeAddresses: boolean; series: Series }) | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  // Encoding takes a moment for a big series: let the panel draw first.
  useEffect(() => {
    const timer = setTimeout(() => {
      try {
        setMade({ ...makeRecording(series, includeAddresses, hiddenBefore), includeAddresses, series });
        setFailed(null);
        setCopied(false);
      } catch (err) {
        setFailed(err instanceof Error ? err.message : String(err));
      }
    }, 0);
    return () => clearTimeout(timer);
  }, [series, includeAddresses, hiddenBefore]);

  // What was made for another series or choice is not shown while the new one is made.
  const made = latest && latest.series === series && latest.includeAddresses === includeAddresses ? latest : null;

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      /* the field stays there to be copied by hand */
    }
    setCopied(true);
  };

  const download = () => {
    if (!made) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([made.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    a.download = recordingFileName(fileName);
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const moments = `${formatCount(series.count)} moments`;
  return (
    <section className="link-share-recording" data-testid="share-recording" aria-label="Share this recording">
      <p className="popover-lead">
        The whole recording ({moments}): every moment’s areas, each as a change from the one before. Nothing leaves the browser: a link carries it in
        its <code>#</code> fragment, which is never sent to a server, and the file is made here.
      </p>
      <label className="link-share-check">
        <input type="checkbox" data-testid="share-recording-addresses" checked={includeAddresses} onChange={(e) => setIncludeAddresses(e.target.checked)} />
        include absolute addresses and the host
      </label>
      <p className={includeAddresses ? 'link-share-warning' : 'link-share-note'} data-testid="share-recording-address-note">
        {includeAddresses
          ? 'The recording shows real kernel addresses. They reveal where KASLR placed the kernel on that boot: share it only with people you trust.'
          : 'Absolute addresses are hidden: raw ones count from the lowest area, phys= from the lowest phys, and the host name and boot id are left out. Hashed addresses are renumbered (equal ones stay equal). Each moment’s /proc/meminfo and /proc/modules are left out.'}
      </p>
      {failed && (
        <p className="error" role="alert">
          Could not make the recording: {failed}
        </p>
      )}
      {!made && !failed && <p className="link-share-note">Making the recording…</p>}
      {made?.fits && (
        <>
          <p>
            <strong>Link to this recording ({moments})</strong>
          </p>
          <div className="link-share-row">
            <input className="link-share-url" data-testid="share-recording-url" readOnly value={made.url} data-addresses={made.includeAddresses ? 'included' : 'hidden'} aria-label="Recording link" onFocus={(e) => e.target.select()} />
            <button type="button" className="button" data-testid="share-recording-copy" onClick={() => void copy(made.url)}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <p className="link-share-size">
            <meter data-testid="share-recording-size" min={0} max={LINK_LIMIT} high={LINK_LIMIT * 0.75} value={made.length} />
            <span>
              {formatCount(made.length)} characters of a practical {formatCount(LINK_LIMIT)}
            </span>
          </p>
        </>
      )}
      {made && !made.fits && (
        <div className="link-share-toolong" data-testid="share-recording-too-long">
          <p>
            This recording would make a link of {formatCount(made.length)} characters, too long for a practical one (at most {formatCount(LINK_LIMIT)}). Send the
            file instead ({formatBytes(made.bytes.length)}): vmscope opens it like any dump.
          </p>
          <button type="button" className="button" data-testid="share-recording-download" onClick={download}>
            Download {recordingFileName(fileName)} ({formatBytes(made.bytes.length)})
          </button>
          {made.latest && (
            <>
              <p>
                Or a link to the latest {formatCount(series.count - made.latest.from)} moments (from moment {formatCount(made.latest.from + 1)}), {formatCount(made.latest.length)}{' '}
                characters:
              </p>
              <div className="link-share-row">
                <input className="link-share-url" data-testid="share-recording-latest-url" readOnly value={made.latest.url} data-moments={series.count - made.latest.from} aria-label="Link to the latest moments" onFocus={(e) => e.target.select()} />
                <button type="button" className="button" onClick={() => void copy(made.latest!.url)}>
                  Copy
                </button>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
