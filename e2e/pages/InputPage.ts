// Page object for getting dumps in: drop, paste (page-wide and the paste box), the file chooser,
// the messages about inputs and the session's history menu.
import type { Locator, Page } from '@playwright/test';
import { SummaryPage } from './SummaryPage.ts';

export class InputPage extends SummaryPage {
  readonly pasteInput: Locator;
  readonly pasteSubmit: Locator;
  readonly dropOverlay: Locator;
  readonly notice: Locator;
  readonly note: Locator;
  readonly history: Locator;

  constructor(page: Page) {
    super(page);
    this.pasteInput = page.getByTestId('paste-input');
    this.pasteSubmit = page.getByRole('button', { name: 'Read pasted text' });
    this.dropOverlay = page.getByTestId('drop-overlay');
    this.notice = page.getByTestId('input-notice');
    this.note = page.getByTestId('input-note');
    this.history = page.getByTestId('snapshot-history');
  }

  /** Drag a file over the page (dragenter with a DataTransfer built in the page) without dropping it. */
  async dragOver(name: string, text: string): Promise<void> {
    await this.page.evaluate(
      ([name, text]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, { type: 'text/plain' }));
        (window as unknown as { __drag: DataTransfer }).__drag = dt;
        document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
        document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      [name, text],
    );
  }

  /** Drop the file dragged by dragOver() on the map area, and wait until it is read. */
  async drop(): Promise<void> {
    await this.page.evaluate(() => {
      const dt = (window as unknown as { __drag: DataTransfer }).__drag;
      const target = document.querySelector('main') ?? document.body;
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await this.whenIdle();
  }

  async dropFile(name: string, text: string): Promise<void> {
    await this.dragOver(name, text);
    await this.drop();
  }

  /** Press Ctrl+V on the page: a paste event whose clipboardData holds the text. */
  async pasteOnPage(text: string): Promise<void> {
    await this.page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, text);
    await this.whenIdle();
  }

  /** Type into the paste box and press its button. */
  async pasteInBox(text: string): Promise<void> {
    await this.pasteInput.fill(text);
    await this.pasteSubmit.click();
    await this.whenIdle();
  }

  /** Open bytes through the file chooser under a given name. */
  async openBytes(name: string, buffer: Buffer): Promise<void> {
    await this.fileInput.setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    await this.whenIdle();
  }
}
