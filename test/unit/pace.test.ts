import { budgetMinimumMs, fullPageMs, oneAtATimeMs, SHIPSTATION, type Pace } from '../../src/budget/pace.js';

const FAST: Pace = { limit: 8, windowMs: 2000, latency: { baseMs: 20, perRecordMs: 0.125 } };

describe('what requests cost under a budget and a page latency', () => {
  test('a 500-order page answers in about 2.5 s at ShipStation', () => {
    expect(fullPageMs(SHIPSTATION.latency)).toBe(2475);
    expect(budgetMinimumMs(1, SHIPSTATION)).toBe(2475);
  });

  test('budget minimum: every window but the last waited out, plus one round trip', () => {
    expect(budgetMinimumMs(0, SHIPSTATION)).toBe(0);
    expect(budgetMinimumMs(40, SHIPSTATION)).toBe(2475);
    expect(budgetMinimumMs(41, SHIPSTATION)).toBe(60_000 + 2475);
    expect(budgetMinimumMs(200, SHIPSTATION)).toBe(4 * 60_000 + 2475);
    expect(budgetMinimumMs(9, FAST)).toBe(2000 + 82.5);
  });

  test('one page at a time: the answers add up, never faster than the budget allows', () => {
    expect(oneAtATimeMs(200, 100_000, SHIPSTATION)).toBe(200 * 600 + 100_000 * 3.75);
    // Tiny pages answer quickly, so the budget is the bound.
    expect(oneAtATimeMs(100, 0, SHIPSTATION)).toBe(budgetMinimumMs(100, SHIPSTATION));
  });
});
