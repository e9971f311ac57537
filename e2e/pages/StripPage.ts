// Page object for the timeline strip above the map and the What grew panel: where a moment is on
// the strip (from its time, as a linear time axis puts it), clicking, dragging and hovering there.
import type { Locator, Page } from '@playwright/test';
import { SummaryPage } from './SummaryPage.ts';

/** The test hook's timeline: the series on screen, or undefined for a single dump. */
export interface TimelineHook {
  count: number;
  index: number;
  times: (number | null)[];
  range: [number, number] | null;
}

export class StripPage extends SummaryPage {
  readonly strip: Locator;
  readonly stage: Locator;
  readonly now: Locator;
  readonly tooltip: Locator;
  readonly cursor: Locator;
  readonly range: Locator;
  readonly grew: Locator;

  constructor(page: Page) {
    super(page);
    this.strip = page.getByTestId('timeline');
    this.stage = page.getByTestId('timeline-strip');
    this.now = page.getByTestId('timeline-now');
    this.tooltip = page.getByTestId('timeline-tooltip');
    this.cursor = page.getByTestId('timeline-cursor');
    this.range = page.getByTestId('timeline-range');
    this.grew = page.getByTestId('what-grew');
  }

  timeline(): Promise<TimelineHook | undefined> {
    return this.page.evaluate(() => (window as unknown as { __vmscope: { getState(): { timeline?: TimelineHook } } }).__vmscope.getState().timeline);
  }

  /** The page point over moment k: its time's place between the first and the last moment along the plot. */
  async pointOf(k: number, times: readonly number[]): Promise<{ x: number; y: number }> {
    await this.stage.scrollIntoViewIfNeeded();
    const box = (await this.stage.boundingBox())!;
    const left = Number(await this.stage.getAttribute('data-plot-left'));
    const right = Number(await this.stage.getAttribute('data-plot-right'));
    const f = (times[k] - times[0]) / (times[times.length - 1] - times[0]);
    return { x: box.x + left + f * (right - left), y: box.y + box.height / 2 };
  }

  async clickMoment(k: number, times: readonly number[]): Promise<void> {
    const p = await this.pointOf(k, times);
    await this.page.mouse.click(p.x, p.y);
    await this.whenIdle();
  }

  async hoverMoment(k: number, times: readonly number[]): Promise<void> {
    const p = await this.pointOf(k, times);
    await this.page.mouse.move(p.x, p.y);
  }

  async dragMoments(a: number, b: number, times: readonly number[]): Promise<void> {
    const from = await this.pointOf(a, times);
    const to = await this.pointOf(b, times);
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 });
    await this.page.mouse.move(to.x, to.y, { steps: 4 });
    await this.page.mouse.up();
    await this.whenIdle();
  }

  async openWhatGrew(): Promise<void> {
    await this.page.getByTestId('analysis-tab-growth').click();
    await this.grew.waitFor();
  }
}
