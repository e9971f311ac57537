import type { Model } from '../../lib/index.ts';
import { AREA_KINDS } from '../../lib/index.ts';
import { KIND_SWATCH } from '../base/colours.ts';
import { groupRows } from './groups.ts';
import { KIND_DESCRIPTION } from '../base/text.ts';
import { BarList } from './BarList.tsx';
import { Panel } from '../ui/Panel.tsx';

/** Count and bytes per kind of area, as bars in the map's kind colours. */
export function KindsTable({ model }: { model: Model }) {
  const rows = groupRows(model, 'kind');
  const absent = AREA_KINDS.filter((k) => model.totals.byKind[k].count === 0);
  return (
    <Panel title="Kinds of area" note="Every area has one primary kind, from its flags. Bars: bytes (the size column)." testId="kinds">
      <BarList
        by="kind"
        rows={rows}
        countNoun="areas"
        swatchOf={(r) => KIND_SWATCH[AREA_KINDS[r.ids[0]]]}
        noteOf={(r) => KIND_DESCRIPTION[AREA_KINDS[r.ids[0]]]}
        empty="No areas."
      />
      {absent.length > 0 && <p className="panel-foot">None of: {absent.join(', ')}.</p>}
    </Panel>
  );
}
