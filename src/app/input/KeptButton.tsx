import { useId } from 'react';
import { usePopover } from '../ui/usePopover.ts';
import { formatBytes } from '../../lib/index.ts';
import type { KeptInfo } from '../base/store.ts';
import { forgetAllKept, forgetKept, openKept, useKept } from '../state/kept.ts';
import './kept.css';

const KIND: Record<KeptInfo['kind'], string> = { file: 'file', files: 'series of files', paste: 'pasted', sample: 'sample', link: 'shared link' };

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The Kept button and its panel: the dumps kept on this device for the next visit (name, kind, when
 * loaded, size), each to open or forget, and "Forget all". Says when nothing can be kept (no
 * storage in this browser) or when the storage is full.
 */
export function KeptButton() {
  const id = useId();
  const { open, setOpen, ref, onKeyDown } = usePopover();
  const storage = useKept((s) => s.storage);
  const list = useKept((s) => s.list);
  const onScreen = useKept((s) => s.onScreen);
  const problem = useKept((s) => s.problem);
  return (
    <div className="popover kept" ref={ref}>
      <button type="button" className="button" data-testid="kept-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        Kept{storage === 'on' ? ` (${list.length})` : ''}
      </button>
      {open && (
        <div
          className="popover-panel kept-panel"
          id={id}
          role="dialog"
          aria-label="Dumps kept on this device"
          data-testid="kept-panel"
          onKeyDown={onKeyDown}
        >
          {storage === 'off' ? (
            <p className="popover-lead" data-testid="kept-off">
              This browser gives the page no storage (a private window, or storage turned off): dumps are not kept, and a reload starts afresh.
            </p>
          ) : (
            <p className="popover-lead">
              The dumps you open are kept in this browser on this device, so a reload puts the one on screen back. Nothing is uploaded.
            </p>
          )}
          {problem && (
            <p className="error" role="alert" data-testid="kept-problem">
              {problem}
            </p>
          )}
          {storage === 'on' && list.length === 0 && <p className="popover-lead">Nothing kept yet.</p>}
          {list.length > 0 && (
            <ul className="kept-list" data-testid="kept-list">
              {[...list].reverse().map((x) => (
                <li key={x.key} data-testid="kept-item" data-key={x.key} aria-current={x.key === onScreen ? 'true' : undefined}>
                  <span className="kept-name" title={x.name}>
                    {x.name}
                  </span>
                  <span className="kept-facts">
                    {KIND[x.kind]} · {when(x.loadedAt)} · {formatBytes(x.size)}
                    {x.key === onScreen ? ' · on screen' : ''}
                  </span>
                  <span className="kept-actions">
                    <button type="button" className="button" data-testid="kept-open" aria-label={`Open ${x.name}`} disabled={x.key === onScreen} onClick={() => void openKept(x.key)}>
                      Open
                    </button>
                    <button type="button" className="button" data-testid="kept-forget" aria-label={`Forget ${x.name}`} onClick={() => void forgetKept(x.key)}>
                      Forget
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {list.length > 0 && (
            <button type="button" className="button kept-forget-all" data-testid="kept-forget-all" onClick={() => void forgetAllKept()}>
              Forget all
            </button>
          )}
        </div>
      )}
    </div>
  );
}
