// JSON text with exact integers. JSON allows integers of any size, but JSON.stringify cannot print
// a BigInt and a Number past 2^53 is already rounded (riscv64 Sv57's 45035992010637312-byte hole
// came out as 45035992010637310). Values that may exceed 2^53 are carried as BigInt and written
// here as bare integer literals; jq 1.7 and Python read them exactly.

/** JSON.stringify(value, null, indent), except that BigInt values become exact integer literals. */
export function exactJson(value: unknown, indent = 2): string {
  const pad = (depth: number) => (indent > 0 ? '\n' + ' '.repeat(indent * depth) : '');
  const sep = indent > 0 ? ': ' : ':';
  const write = (v: unknown, depth: number): string | undefined => {
    if (typeof v === 'bigint') return v.toString();
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const toJSON = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === 'function') return write(toJSON.call(v), depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const items = v.map((x) => pad(depth + 1) + (write(x, depth + 1) ?? 'null'));
      return '[' + items.join(',') + pad(depth) + ']';
    }
    const entries: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const text = write(x, depth + 1);
      if (text !== undefined) entries.push(pad(depth + 1) + JSON.stringify(k) + sep + text);
    }
    return entries.length === 0 ? '{}' : '{' + entries.join(',') + pad(depth) + '}';
  };
  return write(value, 0) ?? 'null';
}
