// Every server check of src/engine/plan/serverChecks.ts against a table of pages it must pass and pages it must
// refuse: a check that passes a lying page lets state move past rows never read.
import { describe, expect, test } from '@jest/globals';
import { v1 } from '../../src/dialects/v1.js';
import { ServerFault, TransientError } from '../../src/errors.js';
import type { PageRow } from '../../src/engine/plan/page.js';
import {
  MAX_SHORT_ROUNDS,
  checkCountable,
  checkCursorProgress,
  checkPageBound,
  checkPageMoved,
  checkShortFirstPages,
  checkShortRounds,
  checkSortValues,
  endsRows,
  fullRefreshIds,
  groupCountFault,
  keysetRows,
  pageFingerprint,
  plausibleTotal,
  usableId,
} from '../../src/engine/plan/serverChecks.js';

const HOUR = 3_600_000;
const FROM = Date.UTC(2024, 0, 10, 12, 0, 0);
const at = (ms: number) => new Date(ms).toISOString().slice(0, 23);
const rows = (...ids: number[]): PageRow[] => ids.map((id) => ({ value: FROM + id * 1000, id }));

describe('usableId', () => {
  test.each([
    [1, true],
    [0, true],
    ['se-1', true],
    ['', false],
    [null, false],
    [undefined, false],
    [Number.NaN, false],
    [Infinity, false],
    [{}, false],
    [[1], false],
  ])('%p → %p', (value, usable) => expect(usableId(value)).toBe(usable));
});

describe('keysetRows', () => {
  const facts = {
    cursorField: 'modifyDate',
    idField: 'orderId',
    request: { from: FROM, to: Infinity, page: 1 },
    dates: v1.dates,
  };
  test.each([
    [
      'ascending values',
      [
        { orderId: 1, modifyDate: at(FROM) },
        { orderId: 2, modifyDate: at(FROM + 1000) },
      ],
      null,
    ],
    [
      'equal values in any id order',
      [
        { orderId: 2, modifyDate: at(FROM) },
        { orderId: 1, modifyDate: at(FROM) },
      ],
      null,
    ],
    [
      'a row without a cursor value',
      [
        { orderId: 1, modifyDate: null },
        { orderId: 2, modifyDate: at(FROM) },
      ],
      null,
    ],
    ['the fall-back hour below the start', [{ orderId: 1, modifyDate: at(FROM - HOUR) }], null],
    [
      'values going back',
      [
        { orderId: 1, modifyDate: at(FROM + 1000) },
        { orderId: 2, modifyDate: at(FROM) },
      ],
      /not sorted by modifyDate ascending/,
    ],
    ['a row far below the start', [{ orderId: 1, modifyDate: at(FROM - HOUR - 1000) }], /date filter was ignored/],
    ['a missing id', [{ modifyDate: at(FROM) }], /no usable primary key 'orderId' \(missing\)/],
    ['an empty id', [{ orderId: '', modifyDate: at(FROM) }], /no usable primary key/],
  ])('%s', (_, page, refusal) => {
    const run = () => keysetRows(page, facts);
    if (refusal === null) expect(run().map((r) => r.id)).toEqual(page.map((r) => r.orderId));
    else expect(run).toThrow(refusal);
  });
  test('a refusal is a ServerFault', () => expect(() => keysetRows([{}], facts)).toThrow(ServerFault));
});

describe('fullRefreshIds', () => {
  test('returns the ids in order', () => expect(fullRefreshIds([{ id: 3 }, { id: 'a' }], 'id')).toEqual([3, 'a']));
  test('refuses a row without one', () =>
    expect(() => fullRefreshIds([{ id: 3 }, { id: null }], 'id')).toThrow(/record 2 of the page/));
});

describe('plausibleTotal', () => {
  test.each([
    // total, page, rows, pageSize → trusted total
    [250, 1, 100, 100, 250],
    [250, 3, 50, 100, 250],
    [100, 1, 100, 100, 100],
    [99, 1, 100, 100, undefined], // fewer than the rows in hand
    [150, 2, 100, 100, undefined], // fewer than the pages up to this one hold
    [200, 3, 0, 100, 200], // an empty page after the rows
    [201, 3, 0, 100, undefined], // an empty page where the total promises a row
    [undefined, 1, 10, 100, undefined],
    [-1, 1, 0, 100, undefined],
    [2.5, 1, 2, 100, undefined],
  ])('total %p on page %p with %p of %p rows → %p', (total, page, n, size, trusted) => {
    expect(plausibleTotal(total, page, n, size)).toBe(trusted);
  });
});

describe('endsRows', () => {
  test.each([
    // rows, total, page, pageSize → the rows end here
    [0, 500, 1, 100, true], // nothing came back, whatever the total says
    [100, 100, 1, 100, false], // a full page never ends them
    [100, undefined, 1, 100, false],
    [40, undefined, 1, 100, true],
    [40, 140, 2, 100, true],
    [40, 300, 2, 100, false], // a short page whose total promises more: read on
  ])('%p rows, total %p, page %p of %p → %p', (n, total, page, size, ends) =>
    expect(endsRows(n, total, page, size)).toBe(ends),
  );
});

describe('checkPageMoved and pageFingerprint', () => {
  test('the same ids again are refused', () =>
    expect(() => checkPageMoved(rows(1, 2, 3), pageFingerprint(rows(1, 2, 3)))).toThrow(/ignore the page parameter/));
  test.each([
    ['other ids', rows(4, 5, 6)],
    ['the same first row only', rows(1, 5, 6)],
    ['the same ids in another order', rows(3, 2, 1)],
    ['one row fewer', rows(1, 2)],
  ])('%s pass', (_, next) => expect(() => checkPageMoved(next, pageFingerprint(rows(1, 2, 3)))).not.toThrow());
  test('no page before: passes', () => expect(() => checkPageMoved(rows(1), undefined)).not.toThrow());
  test('each id is ended, so ids 1 and 2 are not id 12', () => {
    expect(
      pageFingerprint([
        { value: 1, id: 1 },
        { value: 1, id: 2 },
      ]),
    ).not.toBe(pageFingerprint([{ value: 1, id: 12 }]));
  });
});

describe('bounds on rounds and pages', () => {
  test.each([
    [MAX_SHORT_ROUNDS - 1, false],
    [MAX_SHORT_ROUNDS, true],
  ])('%p short rounds → refused: %p', (rounds, refused) => {
    const run = () => checkShortRounds(rounds);
    if (refused) expect(run).toThrow(/cuts its pages short/);
    else expect(run).not.toThrow();
  });
  test.each([
    [MAX_SHORT_ROUNDS - 1, true, null],
    [MAX_SHORT_ROUNDS, true, /serves pages of 3 rows, too few to repeat 2 rows .* after place 3 cannot be proven read/],
    [
      MAX_SHORT_ROUNDS,
      false,
      /8 times in a row .* page 1 with fewer records than its total \(3 the last time\): it cuts/,
    ],
  ])('%p short page 1s in a row (always the same count: %p) → refused: %p', (rounds, always, refusal) => {
    const run = () => checkShortFirstPages(rounds, 3, always, 2);
    if (refusal) expect(run).toThrow(refusal);
    else expect(run).not.toThrow();
  });
  test.each([
    [10, 10, false],
    [11, 10, true],
  ])('%p requests against a bound of %p → refused: %p', (requests, bound, refused) => {
    const run = () => checkPageBound(requests, bound, 900);
    if (refused) expect(run).toThrow(/11 pages for 900 records/);
    else expect(run).not.toThrow();
  });
});

describe('pages that cannot be ordered or counted', () => {
  test('a page of rows without any sort value is refused', () => {
    expect(() => checkSortValues([{ value: null, id: 1 }], 'createDate')).toThrow(/usable createDate/);
  });
  test.each([
    [[]],
    [
      [
        { value: null, id: 1 },
        { value: 5, id: 2 },
      ],
    ],
  ])('%j passes', (page) => expect(() => checkSortValues(page, 'createDate')).not.toThrow());
  test('no progress without a cursor value', () => {
    expect(() => checkCursorProgress(undefined)).toThrow(/no usable cursor value/);
    expect(() => checkCursorProgress(0)).not.toThrow();
  });
  test('a bulk second cannot be counted without a total', () => {
    expect(() => checkCountable(undefined, FROM)).toThrow(
      /2024-01-10 12:00:00 on ShipStation's clock than a page holds/,
    );
    expect(() => checkCountable(0, FROM)).not.toThrow();
  });
  test('a count the total contradicts is transient and says which reading it was', () => {
    const stuck = groupCountFault(FROM, 120, 100, 3, true);
    expect(stuck).toBeInstanceOf(TransientError);
    expect(stuck.message).toMatch(
      /reported 120 records .* served 100 distinct ones over 3 reads .*its total is wrong\)/,
    );
    expect(groupCountFault(FROM, 120, 100, 12, false).message).toMatch(/different order on every read/);
  });
});
