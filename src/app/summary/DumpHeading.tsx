import { formatCount } from '../../lib/index.ts';
import { LINK_NAME, linkUrl } from '../base/links.ts';
import { useStore } from '../state/store.ts';
import { Bytes } from '../ui/Bytes.tsx';
import { currentDump, sourceOf, fileBytesOf, fileNameOf, summaryOf } from '../state/select.ts';
import { selectMoment, selectTimeline } from '../state/timeline.ts';
import { momentHeading } from '../base/text.ts';
import { originLine } from '../../lib/sources/origin.ts';
import { reportMeta } from '../base/report.ts';

/** A link's length on this page, as the Share panel counts it, for a link text of `textLength` characters. */
function linkLength(textLength: number): number {
  return linkUrl('').length + textLength;
}

/** Which dump is on screen, where it came from, and what the app is doing with it. */
export function DumpHeading() {
  const fileName = useStore((s) => fileNameOf(s));
  const source = useStore(sourceOf);
  const status = useStore((s) => s.status);
  const fileBytes = useStore((s) => fileBytesOf(s));
  const lines = useStore((s) => summaryOf(s)?.lines ?? null);
  const areas = useStore((s) => summaryOf(s)?.areas ?? null);
  const parseMs = useStore((s) => (currentDump(s)?.parseMs ?? null));
  const parsedIn = useStore((s) => (currentDump(s)?.parsedIn ?? null));
  const progress = useStore((s) => s.progress);
  const error = useStore((s) => s.error);
  const timeline = useStore(selectTimeline);
  const moment = useStore(selectMoment);
  const found = useStore((s) => currentDump(s)?.capture.origin ?? null);

  // Nothing on screen yet and the first input failed (a vmscope open page whose server has
  // stopped, a wrong token): say why here, as nothing else on the page would.
  if (!fileName) {
    return status === 'error' && error ? (
      <div className="dump-heading">
        <p className="error" role="alert" data-testid="load-error">
          {error}
        </p>
      </div>
    ) : null;
  }
  // The dump a one-file report carries is loaded as a .vmscope (-rec) file: name it as the report does.
  const report = reportMeta();
  const carried = report !== null && fileName === report.file;
  const origin = carried
    ? `carried in this report${report.addresses === 'hidden' ? ' · absolute addresses hidden (KASLR): the layout is relative' : ''}`
    : source?.kind === 'sample'
      ? (source.label ?? 'bundled sample')
      : source?.kind === 'paste'
        ? 'pasted'
        : source?.kind === 'link'
          ? `opened from a shared link${source.addressesHidden ? ' · absolute addresses were hidden (KASLR): the layout is relative' : ''}`
        : source?.via === 'drop'
          ? 'dropped from your computer'
          : source?.via === 'open'
            ? 'served to this page by vmscope open'
            : source?.via === 'live'
              ? 'recorded live by vmscope open --live'
          : 'opened from your computer';
  const busy = status === 'loading' || status === 'parsing';

  return (
    <div className="dump-heading">
      <h2 className="file-name" data-testid="file-name">
        {carried ? report.name : fileName}
      </h2>
      <p className="dump-meta">
        <span>{origin}</span>
        {found && !busy && (
          <span data-testid="dump-origin" title={found.path ? `read from ${found.path}` : undefined}>
            {originLine(found)}
          </span>
        )}
        {!busy && status === 'ready' && fileBytes !== null && lines !== null && (
          <>
            <span data-testid="dump-size">
              {source?.kind === 'link' && !timeline ? (
                // A link holds areas, not the dump's lines: say how long the link (or .vmscope file) is.
                <>
                  {fileName === LINK_NAME ? `link of ${formatCount(linkLength(fileBytes))} characters` : <>snapshot file of <Bytes value={fileBytes} /></>} · {formatCount(areas ?? 0)}{' '}
                  {areas === 1 ? 'area' : 'areas'}
                </>
              ) : (
                <>
                  <Bytes value={fileBytes} /> ·{' '}
                  {timeline ? `${formatCount(timeline.series.count)} moment${timeline.series.count === 1 ? '' : 's'}` : `${formatCount(lines)} lines`}
                </>
              )}
            </span>
            {parseMs !== null && (
              <span>
                parsed in {parseMs < 10 ? parseMs.toFixed(1) : Math.round(parseMs)} ms {parsedIn === 'worker' ? 'in a worker' : 'on the main thread'}
              </span>
            )}
          </>
        )}
        {busy && (
          <span className="busy" role="status">
            {status === 'loading' ? 'Loading…' : progress === null ? 'Parsing…' : `Parsing… ${Math.floor(progress * 100)}%`}
          </span>
        )}
      </p>
      {timeline && moment && !busy && (
        <p className="dump-moment" data-testid="dump-moment">
          <strong>Series</strong> · {momentHeading(timeline.index, timeline.series.count, moment)}
          {moment.source && moment.source !== fileName && <span className="muted"> · from {moment.source}{moment.line > 1 ? `, line ${formatCount(moment.line)}` : ''}</span>}
        </p>
      )}
      {status === 'error' && (
        <p className="error" role="alert">
          Could not read this dump: {error}
        </p>
      )}
    </div>
  );
}
