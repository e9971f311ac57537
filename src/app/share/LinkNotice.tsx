import { useStore } from '../state/store.ts';
import { dismissShareError } from '../state/actions.ts';
import { linkHidesAddresses } from '../state/select.ts';
import { reportMeta } from '../base/report.ts';

/** What the share feature says about the page: a link that could not be opened, or hidden addresses. */
export function LinkNotice() {
  const error = useStore((s) => s.shareError);
  // From the dump on screen, so switching back to a link's dump in the history brings the note back.
  const hidden = useStore(linkHidesAddresses);
  if (error) {
    return (
      <div className="link-share-error" role="alert" data-testid="share-error">
        <strong>The shared snapshot could not be opened.</strong> {error}
        <button type="button" className="link-share-dismiss" aria-label="Dismiss" onClick={dismissShareError}>
          ×
        </button>
      </div>
    );
  }
  // A report's own line and heading already say so.
  if (hidden && reportMeta() === null) {
    return (
      <p className="link-share-note" data-testid="share-note">
        Opened from a shared link whose absolute addresses were hidden (KASLR): addresses start at 0 and show the layout relative to the first area.
      </p>
    );
  }
  return null;
}
