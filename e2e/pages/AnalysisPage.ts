// Page object for the analysis panel under the map: Compare · Fragmentation · Cross-checks.
import type { Locator, Page } from '@playwright/test';
import { MapPage } from './MapPage.ts';

export class AnalysisPage extends MapPage {
  readonly analysis: Locator;
  readonly compareTab: Locator;
  readonly fragmentationTab: Locator;
  readonly checksTab: Locator;
  readonly compareHint: Locator;
  readonly compareInsmod: Locator;
  readonly compareA: Locator;
  readonly compareB: Locator;
  readonly compareStart: Locator;
  readonly diffHeadline: Locator;
  readonly byModule: Locator;
  readonly byCaller: Locator;
  readonly probeInput: Locator;
  readonly probeRun: Locator;
  readonly probeResult: Locator;
  readonly probeZoom: Locator;
  readonly meminfoCheck: Locator;
  readonly modulesCheck: Locator;
  readonly notice: Locator;
  readonly compareWarnings: Locator;
  readonly compareAStartup: Locator;
  readonly compareFileA: Locator;
  readonly noLeaks: Locator;
  readonly leakCheckSkipped: Locator;
  readonly possibleLeaks: Locator;

  constructor(page: Page) {
    super(page);
    this.analysis = page.getByTestId('analysis');
    this.compareTab = page.getByTestId('analysis-tab-compare');
    this.fragmentationTab = page.getByTestId('analysis-tab-fragmentation');
    this.checksTab = page.getByTestId('analysis-tab-checks');
    this.compareHint = page.getByTestId('compare-hint');
    this.compareInsmod = page.getByTestId('compare-insmod');
    this.compareA = page.getByTestId('compare-a');
    this.compareB = page.getByTestId('compare-b');
    this.compareStart = page.getByTestId('compare-start');
    this.diffHeadline = page.getByTestId('diff-headline');
    this.byModule = page.getByTestId('diff-by-module');
    this.byCaller = page.getByTestId('diff-by-caller');
    this.probeInput = page.getByTestId('probe-input');
    this.probeRun = page.getByTestId('probe-run');
    this.probeResult = page.getByTestId('probe-result');
    this.probeZoom = page.getByTestId('probe-zoom');
    this.meminfoCheck = page.getByTestId('meminfo-check');
    this.modulesCheck = page.getByTestId('modules-check');
    this.notice = page.getByTestId('input-notice');
    this.compareWarnings = page.getByTestId('compare-warnings');
    this.compareAStartup = page.getByTestId('compare-a-startup');
    this.compareFileA = page.getByTestId('compare-a-startup').getByTestId('compare-file-a');
    this.noLeaks = page.getByTestId('no-leaks');
    this.leakCheckSkipped = page.getByTestId('leak-check-skipped');
    this.possibleLeaks = page.getByTestId('possible-leaks');
  }

  /** A row of the by-module table (Compare) by module name. */
  moduleRow(name: string): Locator {
    return this.byModule.locator(`tbody tr[data-name="${name}"]`);
  }

  /** A row of the /proc/modules cross-check table by module name. */
  checkRow(name: string): Locator {
    return this.modulesCheck.locator(`tbody tr[data-name="${name}"]`);
  }

  /** The reasons Compare gives for A and B not being one machine and boot. */
  async warningReasons(): Promise<string[]> {
    return this.compareWarnings.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-reason') ?? ''));
  }

  /** Choose a file as A through the button next to the start-up sample's label. */
  async openFileAsA(path: string): Promise<void> {
    await this.compareFileA.setInputFiles(path);
    await this.whenIdle();
  }

  /** Ask the probe whether an allocation of `size` fits. */
  async probe(size: string): Promise<void> {
    await this.fragmentationTab.click();
    await this.probeInput.fill(size);
    await this.probeInput.press('Enter');
    await this.whenIdle();
  }

  /** Open bytes through the file chooser under a name, as a user opening a saved file. */
  async openBytes(name: string, buffer: Buffer): Promise<void> {
    await this.fileInput.setInputFiles({ name, mimeType: 'text/plain', buffer });
    await this.whenIdle();
  }
}
