import { toCsv, toJson } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import { downloadText, exportName } from './download.ts';
import { currentDump, fileNameOf } from '../state/select.ts';
import { selectMoment, selectTimeline } from '../state/timeline.ts';

/**
 * Save the rows in view (filtered, in table order) as CSV or JSON, one line per area, with the
 * columns `vmscope export` writes: the host an archive names, and the moment on screen of a series.
 */
export function ExportButtons({ model, rows }: { model: Model; rows: Uint32Array }) {
  const fileName = useStore((s) => fileNameOf(s));
  const host = useStore((s) => currentDump(s)?.capture.origin?.host ?? null);
  const index = useStore((s) => selectTimeline(s)?.index ?? null);
  const time = useStore((s) => selectMoment(s)?.time ?? null);
  const context = { host, moment: index === null ? null : index + 1, time };
  const what = `${rows.length} ${rows.length === 1 ? 'area' : 'areas'} shown`;
  return (
    <div className="table-export" role="group" aria-label="Export the areas shown">
      <button
        type="button"
        className="button"
        data-testid="table-export-csv"
        title={`Download the ${what} as CSV (header line, one line per area)`}
        onClick={() => downloadText(exportName(fileName, 'csv'), toCsv(model, rows, context), 'text/csv')}
      >
        CSV
      </button>
      <button
        type="button"
        className="button"
        data-testid="table-export-json"
        title={`Download the ${what} as JSON (an array of objects, one per line; the CLI's vmscope export writes NDJSON)`}
        onClick={() => downloadText(exportName(fileName, 'json'), toJson(model, rows, context), 'application/json')}
      >
        JSON
      </button>
    </div>
  );
}
