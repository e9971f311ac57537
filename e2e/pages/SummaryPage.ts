// Page object for the summary screen: what a test may look at and do there.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import type { VmscopeHook, VmscopeView } from '../../src/app/testHook.ts';

type WithHook = { __vmscope: VmscopeHook };

export class SummaryPage {
  readonly sampleSelect: Locator;
  readonly fileInput: Locator;
  readonly fileName: Locator;
  readonly areaCount: Locator;
  readonly totalBytes: Locator;
  readonly pointerMode: Locator;
  readonly layoutName: Locator;
  readonly diagnostics: Locator;
  readonly kinds: Locator;
  readonly largestGap: Locator;

  constructor(readonly page: Page) {
    this.sampleSelect = page.getByTestId('sample-select');
    this.fileInput = page.getByTestId('file-input');
    this.fileName = page.getByTestId('file-name');
    this.areaCount = page.getByTestId('area-count');
    this.totalBytes = page.getByTestId('total-bytes');
    this.pointerMode = page.getByTestId('pointer-mode');
    this.layoutName = page.getByTestId('layout-name');
    this.diagnostics = page.getByTestId('diagnostics');
    this.kinds = page.getByTestId('kinds');
    this.largestGap = page.getByTestId('largest-gap');
  }

  /** Open the app (optionally with a query such as "?sample=…") and wait until it is idle. */
  async open(query = ''): Promise<void> {
    await this.page.goto(`./${query}`);
    await this.whenIdle();
  }

  async whenIdle(): Promise<void> {
    await this.page.waitForFunction(() => (window as unknown as Partial<WithHook>).__vmscope !== undefined);
    await this.page.evaluate(() => (window as unknown as WithHook).__vmscope.whenIdle());
  }

  state(): Promise<VmscopeView> {
    return this.page.evaluate(() => (window as unknown as WithHook).__vmscope.getState());
  }

  /** Pick a bundled sample from the menu, the way a user does, and wait for its summary. */
  async pickSample(path: string): Promise<void> {
    await this.sampleSelect.selectOption(path);
    await this.whenIdle();
  }

  /**
   * Load a bundled sample through the test hook (what the menu calls), for tests that are not about
   * the menu: no waiting for the select element to be ready, one call into the page.
   */
  async load(path: string): Promise<void> {
    await this.page.evaluate((p) => (window as unknown as WithHook).__vmscope.openSample(p), path);
    await this.whenIdle();
  }

  /** Open a dump through the file chooser. */
  async openFile(file: string): Promise<void> {
    await this.fileInput.setInputFiles(file);
    await this.whenIdle();
  }

  async expectAreaCount(n: number): Promise<void> {
    await expect(this.areaCount).toContainText(String(n));
  }
}
