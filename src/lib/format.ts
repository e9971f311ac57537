// Human formats shared by the CLI and the app.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** 4096 → "4 KiB", 2101248 → "2.00 MiB", 35184372088832 → "32 TiB". Binary units, as the kernel counts. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${sign}${v} B`;
  const text = Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${sign}${text} ${UNITS[u]}`;
}

/**
 * 1234567 → "1,234,567", as `toLocaleString('en-US')` prints it. Written out because the first
 * toLocaleString of a process loads ICU's locale data: ~13 ms of a CLI run of ~75 ms.
 */
export function formatCount(n: number): string {
  const r = Math.round(n);
  // Past 1e21 String() switches to exponent notation; NaN and ±∞ have their own words.
  if (!Number.isFinite(r) || Math.abs(r) >= 1e21) return r.toLocaleString('en-US');
  const digits = String(Math.abs(r)).replace(/\B(?=(\d{3})+$)/g, ',');
  return r < 0 || Object.is(r, -0) ? `-${digits}` : digits;
}
