import { describe, expect, it } from '@jest/globals';
import { boundedRateHeaders, maxKeyWaitSeconds, rateHeaders, retryAfterSeconds } from '../../src/budget/rateHeaders.js';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

describe('Retry-After', () => {
  it('reads delta-seconds and the three HTTP-date forms', () => {
    expect(retryAfterSeconds({ 'retry-after': '30' }, NOW)).toBe(30);
    expect(retryAfterSeconds({ 'retry-after': ' 7 ' }, NOW)).toBe(7);
    expect(retryAfterSeconds({ 'retry-after': 'Sat, 01 Jun 2024 12:00:45 GMT' }, NOW)).toBe(45);
    expect(retryAfterSeconds({ 'retry-after': 'Saturday, 01-Jun-24 12:01:00 GMT' }, NOW)).toBe(60);
    expect(retryAfterSeconds({ 'retry-after': 'Sat Jun  1 12:00:10 2024' }, NOW)).toBe(10);
  });

  it('absent is undefined; anything unusable is 0 (the minimum backoff), never a negative or NaN wait', () => {
    expect(retryAfterSeconds({}, NOW)).toBeUndefined();
    for (const junk of [
      '-5',
      '0',
      'soon',
      '1.5',
      '1e3',
      'NaN',
      '',
      'Sat, 01 Jun 2024 11:00:00 GMT',
      '2024-06-01T12:00:45Z',
    ]) {
      expect([junk, retryAfterSeconds({ 'retry-after': junk }, NOW)]).toEqual([junk, 0]);
    }
  });
});

describe('X-Rate-Limit-*', () => {
  it('reads plain non-negative integers and ignores everything else', () => {
    expect(
      rateHeaders({ 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '60' }),
    ).toEqual({ limit: 100, remaining: 0, resetSeconds: 60 });
    expect(
      rateHeaders({ 'x-rate-limit-limit': '-40', 'x-rate-limit-remaining': 'many', 'x-rate-limit-reset': '1e9' }),
    ).toEqual({ limit: undefined, remaining: undefined, resetSeconds: undefined });
  });

  it('bounds Reset by the longest credible wait, and by the retry budget', () => {
    expect(maxKeyWaitSeconds(600_000)).toBe(120);
    expect(maxKeyWaitSeconds(10_000)).toBe(10);
    expect(boundedRateHeaders({ limit: 40, resetSeconds: 3600 }, 120)).toEqual({ limit: 40, resetSeconds: 120 });
    expect(boundedRateHeaders({ limit: 40, resetSeconds: 30 }, 120)).toEqual({ limit: 40, resetSeconds: 30 });
  });
});
