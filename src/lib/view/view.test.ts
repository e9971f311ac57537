import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SPAN, atLeastWide, boundsOf, clampView, cssAtDisplay, displayAtCss, fitRange, panBy, wheelFactor, zoomAbout } from './view.ts';

// A 46 TiB track, like x86_64's vmalloc range up to the top of the module area, and a small one.
const totals = fc.constantFrom(51138011332608, 41828352, 8192, 1 << 20);

const viewIn = (total: number) =>
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([a, b]) => {
      const bounds = boundsOf(total);
      const span = bounds.minSpan + Math.min(a, b) * (total - bounds.minSpan);
      const start = Math.max(a, b) * (total - span);
      return { start, end: start + span };
    });

describe('the view maths', () => {
  it('zooming about an anchor keeps the anchor where it was on screen', () => {
    fc.assert(
      fc.property(
        totals.chain((total) => fc.tuple(fc.constant(total), viewIn(total), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }))),
        ([total, view, at, factor]) => {
          const b = boundsOf(total);
          const width = 1000;
          const x = at * width;
          const anchor = displayAtCss(view, x, width);
          const zoomed = zoomAbout(view, anchor, factor, b);
          const span = zoomed.end - zoomed.start;
          // Unless a bound stopped it, the anchor stays under the same pixel.
          const hitBound = zoomed.start <= 0 || zoomed.end >= total || span <= b.minSpan || span >= total;
          if (!hitBound) expect(cssAtDisplay(zoomed, anchor, width)).toBeCloseTo(x, 6);
          expect(span).toBeGreaterThanOrEqual(b.minSpan - 1e-6);
          expect(span).toBeLessThanOrEqual(total);
        },
      ),
    );
  });

  it('keeps the anchor fixed at one page across a 46 TiB track', () => {
    const b = boundsOf(51138011332608);
    const view = { start: 51136954368000, end: 51136954368000 + 65536 };
    const anchor = view.start + 12345;
    const zoomed = zoomAbout(view, anchor, 1 / 64, b);
    expect(zoomed.end - zoomed.start).toBe(MIN_SPAN);
    expect(cssAtDisplay(zoomed, anchor, 1000)).toBeCloseTo(cssAtDisplay(view, anchor, 1000), 6);
  });

  it('never zooms in below one page or out beyond the whole track', () => {
    const b = boundsOf(1 << 30);
    const tiny = zoomAbout({ start: 1000, end: 9192 }, 5000, 1e-9, b);
    expect(tiny.end - tiny.start).toBe(MIN_SPAN);
    const whole = zoomAbout({ start: 1000, end: 9192 }, 5000, 1e12, b);
    expect(whole).toEqual({ start: 0, end: 1 << 30 });
  });

  it('clamping moves a view back inside the track without changing its span', () => {
    const b = boundsOf(1000000);
    expect(clampView({ start: -5000, end: 5000 }, b)).toEqual({ start: 0, end: 10000 });
    expect(clampView({ start: 995000, end: 1005000 }, b)).toEqual({ start: 990000, end: 1000000 });
    expect(clampView({ start: 5000, end: 5010 }, b)).toEqual({ start: 5005 - MIN_SPAN / 2, end: 5005 + MIN_SPAN / 2 });
  });

  it('a track narrower than a page is shown whole', () => {
    const b = boundsOf(2048);
    expect(clampView({ start: 100, end: 200 }, b)).toEqual({ start: 0, end: 2048 });
  });

  it('panning moves both edges by the same amount and stops at the ends', () => {
    const b = boundsOf(100000);
    expect(panBy({ start: 1000, end: 11000 }, 500, b)).toEqual({ start: 1500, end: 11500 });
    expect(panBy({ start: 1000, end: 11000 }, -5000, b)).toEqual({ start: 0, end: 10000 });
    expect(panBy({ start: 1000, end: 11000 }, 1e9, b)).toEqual({ start: 90000, end: 100000 });
  });

  it('fitting a range centres it with room on both sides', () => {
    const b = boundsOf(1 << 30);
    expect(fitRange(1 << 20, (1 << 20) + 20480, b, 0.25)).toEqual({ start: (1 << 20) - 5120, end: (1 << 20) + 25600 });
  });

  it('converts between CSS pixels and display positions both ways, exact to the rounding of a double', () => {
    fc.assert(
      fc.property(totals.chain((t) => fc.tuple(viewIn(t), fc.double({ min: 0, max: 1280, noNaN: true }))), ([view, x]) => {
        // The display position in between is a double: near 2^44 (a 16 TiB track) it is rounded to
        // 2^-9 units, a thousandth of a pixel in the narrowest view. That rounding, scaled to pixels,
        // is all the round trip may lose.
        const rounding = Math.abs(view.end) * Number.EPSILON * (1280 / (view.end - view.start));
        expect(Math.abs(cssAtDisplay(view, displayAtCss(view, x, 1280), 1280) - x)).toBeLessThanOrEqual(rounding + 1e-9);
      }),
    );
  });

  it('a wheel turn one way undoes the same turn the other way', () => {
    expect(wheelFactor(100, 0) * wheelFactor(-100, 0)).toBeCloseTo(1, 12);
    expect(wheelFactor(100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48, 0), 12);
  });

  it('widens a narrow span about its middle to the minimum width, and leaves a wide one alone', () => {
    fc.assert(
      fc.property(fc.double({ min: -5000, max: 5000, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), fc.constantFrom(3, 4), (x0, w, min) => {
        const [a, b] = atLeastWide(x0, x0 + w, min);
        if (x0 + w - x0 >= min) {
          expect([a, b]).toEqual([x0, x0 + w]);
        } else {
          expect(b - a).toBeCloseTo(min, 9);
          expect((a + b) / 2).toBeCloseTo(x0 + w / 2, 9);
        }
      }),
    );
    expect(atLeastWide(10, 10.5, 3)).toEqual([8.75, 11.75]);
    expect(atLeastWide(10, 20, 3)).toEqual([10, 20]);
  });
});
