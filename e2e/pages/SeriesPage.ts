// Page object for a series on screen: opening several files at once, the timeline's keys and the
// cursor, through the page as a user does and through __vmscope where a test is not about the way in.
import type { Locator, Page } from '@playwright/test';
import type { VmscopeHook } from '../../src/app/testHook.ts';
import { InputPage } from './InputPage.ts';

type WithHook = { __vmscope: VmscopeHook };

/** A file for the page: its name, its bytes (base64, so gzip travels too) and its modification time. */
export interface PageFile {
  name: string;
  base64: string;
  lastModified?: number;
}

export function pageFile(name: string, bytes: Buffer | string, lastModified?: number): PageFile {
  return { name, base64: Buffer.from(bytes).toString('base64'), lastModified };
}

export class SeriesPage extends InputPage {
  readonly moment: Locator;

  constructor(page: Page) {
    super(page);
    this.moment = page.getByTestId('dump-moment');
  }

  /** Drop files on the page at once (one series when there are several), and wait until they are read. */
  async dropFiles(files: PageFile[]): Promise<void> {
    await this.page.evaluate((files) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { lastModified: f.lastModified ?? Date.now() }));
      }
      const target = document.querySelector('main') ?? document.body;
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
    await this.whenIdle();
  }

  /** Choose files in the file chooser at once. */
  async chooseFiles(files: Array<{ name: string; buffer: Buffer }>): Promise<void> {
    await this.fileInput.setInputFiles(files.map((f) => ({ ...f, mimeType: 'text/plain' })));
    await this.whenIdle();
  }

  /** Press a key with the focus on the page (not in a field), and wait until the moment is shown. */
  async key(key: string): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press(key);
    await this.whenIdle();
  }

  async setMoment(i: number): Promise<void> {
    await this.page.evaluate((i) => (window as unknown as WithHook).__vmscope.setMoment(i), i);
    await this.whenIdle();
  }

  async setRange(a: number, b: number): Promise<void> {
    await this.page.evaluate(([a, b]) => (window as unknown as WithHook).__vmscope.setRange(a, b), [a, b]);
    await this.whenIdle();
  }

  async zoomTo(startHex: string, endHex: string): Promise<void> {
    await this.page.evaluate(([a, b]) => (window as unknown as WithHook).__vmscope.zoomTo(a, b), [startHex, endHex]);
    await this.whenIdle();
  }
}
