import { toCsv, toNdjson } from '../../lib/index.ts';
import type { Model } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import { downloadText, exportName } from './download.ts';

/** Save the rows in view (filtered, in table order) as CSV or NDJSON, one line per area. */
export function ExportButtons({ model, rows }: { model: Model; rows: Uint32Array }) {
  const fileName = useStore((s) => s.fileName);
  const what = `${rows.length} ${rows.length === 1 ? 'area' : 'areas'} shown`;
  return (
    <div className="table-export" role="group" aria-label="Export the areas shown">
      <button
        type="button"
        className="button"
        data-testid="table-export-csv"
        title={`Download the ${what} as CSV (header line, one line per area)`}
        onClick={() => downloadText(exportName(fileName, 'csv'), toCsv(model, rows), 'text/csv')}
      >
        CSV
      </button>
      <button
        type="button"
        className="button"
        data-testid="table-export-ndjson"
        title={`Download the ${what} as NDJSON (one JSON object per line)`}
        onClick={() => downloadText(exportName(fileName, 'ndjson'), toNdjson(model, rows), 'application/x-ndjson')}
      >
        NDJSON
      </button>
    </div>
  );
}
