import { describe, expect, it } from 'vitest';
import { linkTextOf, liveTokenOf, openTokenOf, recordingTextOf } from './links.ts';

describe('the token of a page opened by vmscope open', () => {
  it('is read from #open=TOKEN, with or without the hash sign', () => {
    expect(openTokenOf('#open=Z3gmdR4RH2hU7Skl6bPFyw')).toBe('Z3gmdR4RH2hU7Skl6bPFyw');
    expect(openTokenOf('open=abc_-9')).toBe('abc_-9');
  });

  it('is not there in other fragments, nor when it holds anything but base64url characters', () => {
    for (const hash of ['', '#', '#s=abc', '#r=abc', '#open=', '#open=a/b', '#open=a b', '#open=a&x=1', '#xopen=abc']) expect(openTokenOf(hash)).toBeNull();
  });

  it('is neither a share link nor a recording link', () => {
    expect(linkTextOf('#open=abc')).toBeNull();
    expect(recordingTextOf('#open=abc')).toBeNull();
  });
});

describe('the token of a page opened by vmscope open --live', () => {
  it('is read from #live=TOKEN only, base64url characters only, and is not an #open= token nor a link', () => {
    expect(liveTokenOf('#live=Z3gmdR4RH2hU7Skl6bPFyw')).toBe('Z3gmdR4RH2hU7Skl6bPFyw');
    expect(liveTokenOf('live=abc_-9')).toBe('abc_-9');
    for (const hash of ['', '#live=', '#live=a/b', '#live=a&x=1', '#open=abc', '#xlive=abc', '#s=abc']) expect(liveTokenOf(hash)).toBeNull();
    expect(openTokenOf('#live=abc')).toBeNull();
    expect(linkTextOf('#live=abc')).toBeNull();
    expect(recordingTextOf('#live=abc')).toBeNull();
  });
});
