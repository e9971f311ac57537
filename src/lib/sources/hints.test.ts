import { describe, expect, it } from 'vitest';
import { parseDump } from '../input/read.ts';
import { buildModel } from '../model/model.ts';
import { fixture } from '../testing/fixtures.ts';

// What a report's uname says about the layout (LayoutHints.release and .arch): the release picks
// the era, the architecture the family where windows overlap; the areas' own evidence outweighs
// a report that contradicts them.

const model = (text: string, hints: { release?: string; arch?: string }) => buildModel(parseDump(new TextEncoder().encode(text)).snapshot, hints);

// Areas in 0xffffffc6…–0xffffffd6…: both arm64's 39-bit window (0xffffff80… up) and riscv64's Sv39
// vmalloc range (0xffffffc600000000–0xffffffd600000000) hold them.
const OVERLAP = [
  '0xffffffc700000000-0xffffffc700005000   20480 copy_process+0x1/0x2 pages=4 vmalloc',
  '0xffffffc700005000-0xffffffc70000a000   20480 copy_process+0x1/0x2 pages=4 vmalloc',
  '0xffffffc70000a000-0xffffffc70000f000   20480 copy_process+0x1/0x2 pages=4 vmalloc',
].join('\n') + '\n';

describe('the architecture a report names', () => {
  it('settles windows two families share: riscv64 Sv39 or arm64 39-bit', () => {
    expect(model(OVERLAP, { arch: 'riscv64' }).layout?.id).toBe('riscv64-sv39');
    expect(model(OVERLAP, { arch: 'aarch64' }).layout?.id).toBe('arm64-39');
  });

  it('does not overrule the areas when they say otherwise, and says so', () => {
    const x86 = fixture('kernels/x86_64-6.1.0-56-boot-raw.vmallocinfo');
    const layout = model(x86, { arch: 'aarch64' }).layout;
    expect(layout?.id).toBe('x86_64-4level');
    expect(layout?.notes.join(' ')).toContain('The report names aarch64');
    const i386 = model(fixture('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo'), { arch: 'armv7l' }).layout;
    expect(i386?.id).toBe('i386');
    expect(i386?.notes.join(' ')).toContain('The report names armv7l; the areas decide.');
  });

  it('agrees with the areas of every 32-bit capture when it names their own architecture', () => {
    expect(model(fixture('kernels/armhf-6.1.0-50-armmp-boot-raw.vmallocinfo'), { arch: 'armv7l' }).layout?.id).toBe('armhf');
    expect(model(fixture('kernels/i386-6.1.0-50-686-boot-raw.vmallocinfo'), { arch: 'i686' }).layout?.id).toBe('i386');
  });
});

describe('the kernel release a report names', () => {
  it("picks arm64's era by the release, not the areas", () => {
    const arm64 = fixture('kernels/arm64-6.12.117-deb12-boot-raw.vmallocinfo');
    expect(model(arm64, { release: '6.12.117+deb12-arm64' }).layout?.evidence).toEqual(['release']);
    expect(model(arm64, { release: '6.12.117+deb12-arm64' }).layout?.era).toBe('6.9+');
  });
});
