import { loadFiles } from '../state/actions.ts';

/** Open a dump from disk, or several at once (one series, a moment each). Files are read by the browser and never leave it. */
export function OpenFileButton() {
  return (
    <label className="button">
      Open a file…
      <input
        type="file"
        className="visually-hidden"
        data-testid="file-input"
        multiple
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          if (files.length > 0) void loadFiles(files);
          e.target.value = '';
        }}
      />
    </label>
  );
}
