import { formatBytes, formatCount } from '../../lib/index.ts';

/** A byte count in binary units, with the exact number of bytes in a tooltip. */
export function Bytes({ value }: { value: number }) {
  return (
    <span className="bytes" title={`${formatCount(value)} bytes`}>
      {formatBytes(value)}
    </span>
  );
}
