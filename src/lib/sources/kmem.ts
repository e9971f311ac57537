// crash's `kmem -v` (crash's memory.c, dump_vmlist / dump_vmap_area): one row per vmap area of a
// vmcore, with no caller, no page count and no flags:
//
//   crash> kmem -v
//   VMAP_AREA         VM_STRUCT                 ADDRESS RANGE                SIZE
//   ffff8881003f2c40  ffff888100ea3a00  ffffc90000000000 - ffffc90000005000  20480
//
// (older crash, before vmap_area, prints only VM_STRUCT, ADDRESS RANGE and SIZE). Each row becomes
// the /proc/vmallocinfo line the kernel would print with nothing after the size, so the scanner,
// the model and every view read it as they read any dump; what the table lacks is said in a note.

const HEADER = /^\s*(?:VMAP_AREA\s+)?VM_STRUCT\s+ADDRESS RANGE\s+SIZE\s*$/;
const ROW = /^\s*(?:[0-9a-f]+\s+){0,2}([0-9a-f]+)\s*-\s*([0-9a-f]+)\s+(\d+)\s*$/i;

/** Whether a text holds a kmem -v table (its header line). */
export function isKmemTable(head: string): boolean {
  return head.split(/\r?\n/, 200).some((l) => HEADER.test(l));
}

/** The rows of a kmem -v table as vmallocinfo lines, and how many rows were read. */
export function kmemAsVmallocinfo(text: string): { text: string; rows: number; skipped: number } {
  const out: string[] = [];
  let inTable = false;
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    if (HEADER.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    const m = ROW.exec(line);
    if (!m) {
      if (line.trim() !== '' && !/^crash>/.test(line.trim())) skipped++;
      continue;
    }
    const digits = Math.max(m[1].length, m[2].length) > 8 ? 16 : 8;
    out.push(`0x${m[1].toLowerCase().padStart(digits, '0')}-0x${m[2].toLowerCase().padStart(digits, '0')} ${m[3].padStart(7)}`);
  }
  return { text: out.join('\n') + (out.length > 0 ? '\n' : ''), rows: out.length, skipped };
}
