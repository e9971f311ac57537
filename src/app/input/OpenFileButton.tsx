import { loadFile } from '../state/actions.ts';

/** Open a dump from disk. The file is read by the browser and never leaves it. */
export function OpenFileButton() {
  return (
    <label className="button">
      Open a file…
      <input
        type="file"
        className="visually-hidden"
        data-testid="file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void loadFile(file);
          e.target.value = '';
        }}
      />
    </label>
  );
}
