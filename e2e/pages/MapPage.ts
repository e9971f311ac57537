// Page object for the map: what a test may look at and do on it. Areas are named the way
// __vmscope names them: by start address in hex (raw dumps) or by index in file order (others).
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import type { Box, VmscopeHook } from '../../src/app/testHook.ts';
import { SummaryPage } from './SummaryPage.ts';

type WithHook = { __vmscope: VmscopeHook };

export class MapPage extends SummaryPage {
  readonly canvas: Locator;
  readonly tooltip: Locator;
  readonly details: Locator;
  readonly searchInput: Locator;
  readonly searchStatus: Locator;
  readonly colourMode: Locator;
  readonly collapseToggle: Locator;
  readonly legend: Locator;
  readonly map: Locator;

  constructor(page: Page) {
    super(page);
    this.map = page.getByTestId('map');
    this.canvas = page.getByTestId('map-canvas');
    this.tooltip = page.getByTestId('tooltip');
    this.details = page.getByTestId('details-panel');
    this.searchInput = page.getByTestId('search-input');
    this.searchStatus = page.getByTestId('search-status');
    this.colourMode = page.getByTestId('colour-mode');
    this.collapseToggle = page.getByTestId('collapse-toggle');
    this.legend = page.getByTestId('legend');
  }

  /** Show [startHex, endHex) on the map (addresses in raw dumps) and wait for it to be drawn. */
  async zoomTo(startHex: string, endHex: string): Promise<void> {
    await this.page.evaluate(([a, b]) => (window as unknown as WithHook).__vmscope.zoomTo(a, b), [startHex, endHex]);
    await this.whenIdle();
  }

  /** Where an area is drawn, in page CSS pixels; fails when it is not in view. */
  async areaBox(key: string): Promise<Box> {
    const box = await this.page.evaluate((k) => (window as unknown as WithHook).__vmscope.areaBox(k), key);
    expect(box, `area ${key} is in view`).not.toBeNull();
    return box!;
  }

  async centreOf(key: string): Promise<{ x: number; y: number }> {
    const box = await this.areaBox(key);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  async hoverArea(key: string): Promise<void> {
    const { x, y } = await this.centreOf(key);
    await this.page.mouse.move(x, y);
    await this.whenIdle();
  }

  /** Move the pointer over the areas lane at a fraction (0..1) of the map's width. */
  async hoverMapAt(fraction: number): Promise<void> {
    const box = (await this.canvas.boundingBox())!;
    await this.page.mouse.move(box.x + box.width * fraction, box.y + 100);
    await this.whenIdle();
  }

  async clickArea(key: string): Promise<void> {
    const { x, y } = await this.centreOf(key);
    await this.page.mouse.click(x, y);
    await this.whenIdle();
  }

  async doubleClickArea(key: string): Promise<void> {
    const { x, y } = await this.centreOf(key);
    await this.page.mouse.dblclick(x, y);
    await this.whenIdle();
  }

  /** Press a key with the map focused, the way a keyboard user would after tabbing to it. */
  async press(key: string): Promise<void> {
    await this.canvas.focus();
    await this.page.keyboard.press(key);
    await this.whenIdle();
  }

  /** Turn the wheel over a point of the map. */
  async wheelAt(x: number, y: number, deltaY: number): Promise<void> {
    await this.page.mouse.move(x, y);
    await this.page.mouse.wheel(0, deltaY);
    await this.whenIdle();
  }

  /** Drag the map sideways by dx CSS pixels, starting at its middle. */
  async drag(dx: number): Promise<void> {
    const box = (await this.canvas.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + 100;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y, { steps: 4 });
    await this.page.mouse.move(x + dx, y, { steps: 4 });
    await this.page.mouse.up();
    await this.whenIdle();
  }

  async search(text: string): Promise<void> {
    await this.searchInput.fill(text);
    await this.whenIdle();
  }

  /** Enter in the search box: go to the address, or to the next match. */
  async searchNext(): Promise<void> {
    await this.searchInput.press('Enter');
    await this.whenIdle();
  }

  /** The value of one row of the details panel, by its label ("Range", "Size", "hole-before", …). */
  detail(field: string): Locator {
    return this.details.locator(`[data-field="${field.toLowerCase()}"]`);
  }

  tooltipField(field: string): Locator {
    return this.tooltip.locator(`[data-field="${field.toLowerCase()}"]`);
  }

  /**
   * The colour the map canvas holds under a page point (CSS pixels), as CSS writes it:
   * "rgb(r, g, b)". Read from the canvas itself, so it says what was drawn there.
   */
  async pixelAt(x: number, y: number): Promise<string> {
    return this.canvas.evaluate(
      (el, [x, y]) => {
        const canvas = el as HTMLCanvasElement;
        const rect = canvas.getBoundingClientRect();
        const dpr = canvas.width / rect.width;
        const [r, g, b] = canvas.getContext('2d')!.getImageData(Math.floor((x - rect.left) * dpr), Math.floor((y - rect.top) * dpr), 1, 1).data;
        return `rgb(${r}, ${g}, ${b})`;
      },
      [x, y],
    );
  }

  /** The colour of an area's body: a point near its left edge and the lane's top, clear of its guard page and any text. */
  async bodyColour(key: string): Promise<string> {
    const box = await this.areaBox(key);
    return this.pixelAt(box.x + Math.min(2, box.width / 3), box.y + 3);
  }

  /** The colour the legend shows for an entry (a kind, caller, …) in the colour scheme on screen. */
  async legendColour(label: string): Promise<string> {
    const swatch = this.legend.locator('li').filter({ has: this.page.locator('.legend-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.swatch');
    return swatch.evaluate((el) => getComputedStyle(el).backgroundColor);
  }

  /** The view's edges as exact numbers. */
  async view(): Promise<{ start: bigint; end: bigint }> {
    const s = await this.state();
    return { start: BigInt(s.viewStart!), end: BigInt(s.viewEnd!) };
  }
}
