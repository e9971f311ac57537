import type { ReactNode } from 'react';
import { Bytes } from './Bytes.tsx';

export interface CountBytesRow {
  key: string;
  name: ReactNode;
  count: number;
  bytes: number;
}

/** Name | Areas | Size, the shape shared by callers, modules and NUMA nodes. */
export function CountBytesTable({
  nameHeading,
  countHeading = 'Areas',
  rows,
  empty,
}: {
  nameHeading: string;
  countHeading?: string;
  rows: CountBytesRow[];
  empty: ReactNode;
}) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{nameHeading}</th>
          <th scope="col" className="num">
            {countHeading}
          </th>
          <th scope="col" className="num">
            Size
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            <td className="num">{r.count.toLocaleString('en-US')}</td>
            <td className="num">
              <Bytes value={r.bytes} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
