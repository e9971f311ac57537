import type { Summary } from '../../lib/index.ts';
import { AREA_KINDS } from '../../lib/index.ts';
import { KIND_DESCRIPTION } from '../text.ts';
import { Bytes } from './Bytes.tsx';
import { Panel } from './Panel.tsx';

/** Count and bytes per kind of area, with a bar for each kind's share of the bytes. */
export function KindsTable({ summary }: { summary: Summary }) {
  const total = summary.bytes || 1;
  return (
    <Panel title="Kinds of area" note="Every area has one primary kind, from its flags." testId="kinds">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Areas
            </th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="share-col">
              <span className="visually-hidden">Share of bytes</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {AREA_KINDS.map((kind) => {
            const { count, bytes } = summary.kinds[kind];
            const share = bytes / total;
            return (
              <tr key={kind} className={count === 0 ? 'is-empty' : undefined} data-kind={kind}>
                <th scope="row">
                  <span className="kind-name">{kind}</span>
                  <span className="kind-desc">{KIND_DESCRIPTION[kind]}</span>
                </th>
                <td className="num">{count}</td>
                <td className="num">
                  <Bytes value={bytes} />
                </td>
                <td className="share-col">
                  <span className="share" title={`${(share * 100).toFixed(1)}% of all bytes`}>
                    <span className="share-fill" style={{ width: `${share * 100}%` }} />
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">all</th>
            <td className="num">{summary.areas}</td>
            <td className="num">
              <Bytes value={summary.bytes} />
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </Panel>
  );
}
