// Page object for the summary bars and the areas table: what a test may look at and do there.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { MapPage } from './MapPage.ts';

export type SortKey = 'address' | 'size' | 'pages' | 'caller' | 'module';

export class TablePage extends MapPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly filter: Locator;
  readonly count: Locator;
  readonly body: Locator;
  readonly sortNote: Locator;
  readonly chip: Locator;
  readonly tableChip: Locator;
  readonly exportCsv: Locator;
  readonly exportJson: Locator;
  readonly kindFilter: Locator;

  constructor(page: Page) {
    super(page);
    this.table = page.getByTestId('areas-table');
    this.rows = this.table.getByTestId('area-row');
    this.filter = page.getByTestId('table-filter');
    this.count = page.getByTestId('table-count');
    this.body = this.table.locator('.tbody');
    this.sortNote = page.getByTestId('table-sort-note');
    this.chip = page.getByTestId('highlight-chip');
    this.tableChip = page.getByTestId('table-highlight-chip');
    this.exportCsv = page.getByTestId('table-export-csv');
    this.exportJson = page.getByTestId('table-export-json');
    this.kindFilter = page.getByTestId('kind-filter');
  }

  /** A bar of the summary, by its key, e.g. "caller:load_module" or "kind:ioremap". */
  bar(key: string): Locator {
    return this.page.locator(`[data-testid="bar-row"][data-key="${key}"]`);
  }

  sortHeader(key: SortKey): Locator {
    return this.page.getByTestId(`sort-${key}`);
  }

  async sortBy(key: SortKey): Promise<void> {
    await this.sortHeader(key).click();
    await this.whenIdle();
  }

  async filterBy(text: string): Promise<void> {
    await this.filter.fill(text);
    await this.whenIdle();
  }

  /** The area index (file order) of each row in the DOM, top to bottom. */
  async rowIndices(): Promise<number[]> {
    return this.rows.evaluateAll((rows) =>
      rows
        .map((r) => ({ top: r.getBoundingClientRect().top, index: Number((r as HTMLElement).dataset.index) }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.index),
    );
  }

  row(index: number): Locator {
    return this.table.locator(`[data-testid="area-row"][data-index="${index}"]`);
  }

  /** The colour drawn at the middle of an area on the map canvas, as [r, g, b]. */
  async colourOfArea(key: string): Promise<number[]> {
    const { x, y } = await this.centreOf(key);
    return this.canvas.evaluate(
      (canvas, [px, py]) => {
        const c = canvas as HTMLCanvasElement;
        const rect = c.getBoundingClientRect();
        const dpr = c.width / rect.width;
        const d = c.getContext('2d')!.getImageData(Math.floor((px - rect.left) * dpr), Math.floor((py - rect.top) * dpr), 1, 1).data;
        return [d[0], d[1], d[2]];
      },
      [x, y],
    );
  }

  /** The table's own rows count, as the test hook reports it. */
  async tableRows(): Promise<number> {
    const s = await this.state();
    expect(s.table).not.toBeNull();
    return s.table!.rows;
  }
}
