import { describe, expect, it } from 'vitest';
import { wantsServiceWorker } from './serviceWorker.ts';

describe('when the page registers its service worker', () => {
  it('registers in a production build opened by a person', () => {
    expect(wantsServiceWorker(true, false, '')).toBe(true);
    expect(wantsServiceWorker(true, false, '?sample=kernels/a')).toBe(true);
  });
  it('never registers under the dev server', () => {
    expect(wantsServiceWorker(false, false, '')).toBe(false);
    expect(wantsServiceWorker(false, true, '?sw')).toBe(false);
  });
  it('does not register when a test drives the browser, unless the URL asks with ?sw', () => {
    expect(wantsServiceWorker(true, true, '')).toBe(false);
    expect(wantsServiceWorker(true, true, '?sw')).toBe(true);
    expect(wantsServiceWorker(true, true, '?sample=kernels/a&sw=1')).toBe(true);
  });
  it('does not register in a page vmscope open served', () => {
    expect(wantsServiceWorker(true, false, '', '#open=AbC_-123')).toBe(false);
    expect(wantsServiceWorker(true, false, '', '#live=AbC_-123')).toBe(false);
    expect(wantsServiceWorker(true, false, '', '#s=AAAA')).toBe(true);
  });
});
