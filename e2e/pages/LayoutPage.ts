// Page object for the page's layout at a given window size: the boxes of its parts, for checks
// that nothing prints over anything else and that the map uses the width it is given.
import type { Locator, Page } from '@playwright/test';
import { SummaryPage } from './SummaryPage.ts';

export interface NamedBox {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export class LayoutPage extends SummaryPage {
  readonly header: Locator;
  readonly mapCanvas: Locator;
  readonly caption: Locator;

  constructor(page: Page) {
    super(page);
    this.header = page.locator('header.header');
    this.mapCanvas = page.getByTestId('map-canvas');
    this.caption = page.getByTestId('map-caption');
  }

  async headerHeight(): Promise<number> {
    return (await this.header.boundingBox())!.height;
  }

  async mapWidth(): Promise<number> {
    return (await this.mapCanvas.boundingBox())!.width;
  }

  /** The boxes of the visible elements `selector` matches, named by their test id, class or text. */
  async boxes(selector: string): Promise<NamedBox[]> {
    return this.page.locator(selector).evaluateAll((els) =>
      els
        .map((el) => {
          const r = el.getBoundingClientRect();
          const name = (el as HTMLElement).dataset.testid ?? `${el.tagName.toLowerCase()}.${el.className} “${(el.textContent ?? '').trim().slice(0, 30)}”`;
          return { name, x: r.x, y: r.y, width: r.width, height: r.height };
        })
        .filter((b) => b.width > 0 && b.height > 0),
    );
  }
}

/** Pairs of boxes that cover each other by more than half a pixel both ways. */
export function overlapping(boxes: NamedBox[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > 0.5 && h > 0.5) out.push(`${a.name} × ${b.name}`);
    }
  }
  return out;
}
