// Where a dump came from when it did not come alone: a sosreport, an Android bugreport, a vmcore
// tool's output, a folder. The facts found beside it (host, kernel release, architecture, device,
// build) are shown in the heading and the kernel release picks the layout era (LayoutHints.release).

/** What a dump came in (InputFacts.origin). */
export interface Origin {
  kind: 'sosreport' | 'bugreport' | 'drgn' | 'kmem-v' | 'folder';
  /** The archive's or folder's name. */
  name: string;
  /** Where the vmallocinfo was found inside it. */
  path?: string;
  host?: string;
  /** uname -r, e.g. "5.14.0-427.13.1.el9_4.x86_64". */
  release?: string;
  /** uname -m, e.g. "x86_64", "aarch64". */
  arch?: string;
  device?: string;
  build?: string;
  /** When it was taken, as the report says it. */
  taken?: string;
}

const KIND_WORD: Record<Origin['kind'], string> = {
  sosreport: 'sosreport',
  bugreport: 'bugreport',
  drgn: 'drgn',
  'kmem-v': 'crash kmem -v',
  folder: 'folder',
};

/** "sosreport · db01 · 5.14.0-427.13.1.el9_4.x86_64 x86_64", the heading's line about the origin. */
export function originLine(o: Origin): string {
  const kernel = [o.release, o.arch && !(o.release ?? '').endsWith(o.arch) ? o.arch : null].filter(Boolean).join(' ');
  const who = o.host ?? o.device ?? (o.kind === 'folder' || o.kind === 'kmem-v' || o.kind === 'drgn' ? o.name : null);
  return [KIND_WORD[o.kind], who, o.build, kernel || (o.arch ?? null)].filter((x): x is string => !!x).join(' · ');
}

/** "the sosreport of db01", "the bugreport of oriole", "folder host-a", for sentences. */
export function originOf(o: Origin): string {
  const who = o.host ?? o.device;
  if (o.kind === 'sosreport' || o.kind === 'bugreport') return who ? `${o.kind} of ${who}` : `${o.kind} ${o.name}`;
  return `${KIND_WORD[o.kind]} ${o.name}`;
}

/** The architecture uname -m printed, when a token is one. */
export function archToken(token: string): string | null {
  return /^(?:x86_64|amd64|aarch64|arm64|i[3-6]86|armv\d+\w*|riscv(?:32|64)|ppc64(?:le)?|s390x|mips\w*|loongarch64|sparc64)$/.test(token) ? token : null;
}

/** The release and machine of a `uname -a` line (`Linux db01 5.14.0-427… #1 SMP … x86_64 x86_64 x86_64 GNU/Linux`). */
export function readUname(line: string): { host?: string; release?: string; arch?: string } {
  const t = line.trim().split(/\s+/);
  if (t[0] !== 'Linux' || t.length < 3) {
    // `uname -r` alone.
    return /^\d+\.\d+\S*$/.test(t[0] ?? '') ? { release: t[0] } : {};
  }
  let arch: string | undefined;
  for (let k = t.length - 1; k > 2 && !arch; k--) arch = archToken(t[k]) ?? undefined;
  return { host: t[1], release: /^\d+\.\d+/.test(t[2]) ? t[2] : undefined, arch };
}
