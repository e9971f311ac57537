// drgn's contrib/vmallocinfo.py (osandov/drgn) prints a vmcore's areas in the file's own format,
// with three differences from mm/vmalloc.c's printer:
//
//   0xffffc90000000000-0xffffc90000005000      20480 alloc_thread_stack_node pages=4 vmalloc
//
// addresses in plain %x (not zero-padded), sizes in %10d, and the caller as a bare symbol name
// (prog.symbol(caller).name: no +offset/length, no [module]), or its address in hex when no
// symbol is found. The scanner knows a caller by its +0x…/0x…, so the bare names are given an
// empty offset (`name+0x0/0x0`) and a note says so; everything else reads as it is.

const FLAG = /^(?:ioremap|sparse|vmalloc|vmap|user|dma-coherent|vpages|vm_map_ram|unpurged|vm_area)$/;
const SYMBOL = /^[A-Za-z_.$][\w.$]*$/;
const AREA = /^(0x[0-9a-f]+-0x[0-9a-f]+\s+\d+) (\S+)(.*)$/;

/** Whether a text's opening reads as drgn's output: bare symbol callers, and no kernel-style +0x…/0x… caller. */
export function isDrgnOutput(head: string): boolean {
  let bare = 0;
  let lines = 0;
  for (const line of head.split('\n', 2000)) {
    if (!line.startsWith('0x')) continue;
    lines++;
    if (/\+0x[0-9a-f]+\/0x[0-9a-f]+/.test(line)) return false;
    const m = AREA.exec(line.trimEnd());
    if (m && SYMBOL.test(m[2]) && !FLAG.test(m[2])) bare++;
  }
  return lines > 0 && bare > 0;
}

/** drgn's lines with each bare caller given an empty offset, and how many were. */
export function drgnAsVmallocinfo(text: string): { text: string; callers: number } {
  let callers = 0;
  const out = text.split('\n').map((line) => {
    if (!line.startsWith('0x')) return line;
    const m = AREA.exec(line.replace(/\r$/, ''));
    if (!m || !SYMBOL.test(m[2]) || FLAG.test(m[2])) return line;
    callers++;
    return `${m[1]} ${m[2]}+0x0/0x0${m[3]}`;
  });
  return { text: out.join('\n'), callers };
}
