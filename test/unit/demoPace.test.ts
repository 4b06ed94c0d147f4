import { budgetMinimumMs, DEMO, duration, oneAtATimeMs, SHIPSTATION } from '../../src/demo/pace.js';

describe('demo speed projection', () => {
  test('a 500-order page answers in about 2.5 s at ShipStation, 30 times faster in the demo', () => {
    expect(budgetMinimumMs(1, SHIPSTATION)).toBe(2475);
    expect(budgetMinimumMs(1, DEMO)).toBeCloseTo(2475 / 30, 6);
  });

  test('budget minimum: every window but the last waited out, plus one round trip', () => {
    expect(budgetMinimumMs(0, SHIPSTATION)).toBe(0);
    expect(budgetMinimumMs(40, SHIPSTATION)).toBe(2475);
    expect(budgetMinimumMs(41, SHIPSTATION)).toBe(60_000 + 2475);
    expect(budgetMinimumMs(200, SHIPSTATION)).toBe(4 * 60_000 + 2475);
    expect(budgetMinimumMs(9, DEMO)).toBeCloseTo(2000 + 2475 / 30, 6);
  });

  test('one page at a time: the answers add up, never faster than the budget allows', () => {
    expect(oneAtATimeMs(200, 100_000, SHIPSTATION)).toBe(200 * 600 + 100_000 * 3.75);
    // Tiny pages: answering is quick, so the budget is the bound.
    expect(oneAtATimeMs(100, 0, SHIPSTATION)).toBe(budgetMinimumMs(100, SHIPSTATION));
  });

  test('durations read as a person would say them', () => {
    expect(duration(2475)).toBe('2.5 s');
    expect(duration(59_940)).toBe('59.9 s');
    expect(duration(68_000)).toBe('1 min 8 s');
    expect(duration(120_000)).toBe('2 min');
    expect(duration(7_500_000)).toBe('2 h 5 min');
  });
});
