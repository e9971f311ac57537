import { useShareStore } from './link.ts';

/** What the share feature says about the page: a link that could not be opened, or hidden addresses. */
export function LinkNotice() {
  const error = useShareStore((s) => s.error);
  const opened = useShareStore((s) => s.opened);
  if (error) {
    return (
      <div className="link-share-error" role="alert" data-testid="share-error">
        <strong>The shared snapshot could not be opened.</strong> {error}
        <button type="button" className="link-share-dismiss" aria-label="Dismiss" onClick={() => useShareStore.setState({ error: null })}>
          ×
        </button>
      </div>
    );
  }
  if (opened?.addressesHidden) {
    return (
      <p className="link-share-note" data-testid="share-note">
        Opened from a shared link whose absolute addresses were hidden (KASLR): addresses start at 0 and show the layout relative to the first area.
      </p>
    );
  }
  return null;
}
