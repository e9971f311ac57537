import type { Description } from '../base/describe.ts';

/** The rows of a description as a definition list: the tooltip's and the details panel's body. */
export function FieldList({ rows, className }: { rows: Description['rows']; className?: string }) {
  return (
    <dl className={className ? `field-list ${className}` : 'field-list'}>
      {rows.map((r) => (
        <div key={r.label} className="field">
          <dt>{r.label}</dt>
          <dd className={r.mono ? 'mono' : undefined} data-field={r.label.toLowerCase()}>
            {r.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
