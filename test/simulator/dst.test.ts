import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dstPins } from '../../src/simulator/instants.js';
import { formatWall, wallTicksFromUtc } from '../../src/simulator/pacificTime.js';
import type { ApiOrder, Simulator } from '../../src/simulator/index.js';
import { listAll, start, truthOf } from './helpers.js';
import { normalizeWall } from './oracle.js';
import { intlPacificWall } from '../helpers/expected.js';

// Independent reference: the platform's tz database through Intl.
const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', timeZoneName: 'shortOffset' });

function intlOffset(utcMs: number): string {
  return offsetFormat.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')!.value;
}

/** Intl's wall string plus the millisecond fraction, in the API's 7-digit shape. */
function intlWall7(utcMs: number): string {
  return `${intlPacificWall(utcMs)}.${String(((utcMs % 1000) + 1000) % 1000).padStart(3, '0')}0000`;
}

const RANGE = { startUtc: Date.UTC(2023, 0, 1, 8), endUtc: Date.UTC(2025, 6, 1, 7) };
const FALL_BACK_DAYS = ['2023-11-05', '2024-11-03'];
const SPRING_FORWARD_DAYS = ['2023-03-12', '2024-03-10', '2025-03-09'];
const DATED_STREAMS = ['orders', 'shipments', 'fulfillments', 'products', 'customers'] as const;

function allDatetimeStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:/.test(value)) out.push(value);
  else if (Array.isArray(value)) for (const v of value) allDatetimeStrings(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) allDatetimeStrings(v, out);
  return out;
}

describe('US Pacific wall-clock values', () => {
  let sim: Simulator;
  const truths = new Map<string, unknown[]>();
  const truth = <R>(stream: (typeof DATED_STREAMS)[number] | 'stores' | 'warehouses'): R[] => {
    if (!truths.has(stream)) truths.set(stream, truthOf(sim, stream));
    return truths.get(stream) as R[];
  };

  beforeAll(async () => {
    sim = await start({ seed: 5 });
  });
  afterAll(() => sim.close());

  test('UTC → Pacific wall conversion agrees with Intl across 2023–2025 and second by second around each transition', () => {
    const mismatches: string[] = [];
    const check = (utc: number): void => {
      const ours = formatWall(wallTicksFromUtc(utc), 'fixed7').slice(0, 19);
      if (ours !== intlPacificWall(utc))
        mismatches.push(`${new Date(utc).toISOString()}: ${ours} vs ${intlPacificWall(utc)}`);
    };
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2026, 0, 1); t += 47 * 60_000) check(t);
    for (const pin of dstPins(RANGE)) for (let t = pin - 2 * 3_600_000; t < pin + 2 * 3_600_000; t += 7_000) check(t);
    expect(mismatches).toEqual([]);
  });

  test('pins sit in both passes of each fall-back hour and on both sides of each spring-forward gap', () => {
    const pins = dstPins(RANGE);
    for (const day of FALL_BACK_DAYS) {
      const inHour = pins.filter((p) => intlPacificWall(p).startsWith(`${day}T01:`));
      expect(new Set(inHour.map(intlOffset))).toEqual(new Set(['GMT-7', 'GMT-8']));
      expect(inHour).toHaveLength(4);
    }
    for (const day of SPRING_FORWARD_DAYS) {
      const near = pins.filter((p) => intlPacificWall(p).startsWith(day));
      expect(near.filter((p) => intlPacificWall(p).startsWith(`${day}T01:`) && intlOffset(p) === 'GMT-8')).toHaveLength(
        2,
      );
      expect(near.filter((p) => intlPacificWall(p).startsWith(`${day}T03:`) && intlOffset(p) === 'GMT-7')).toHaveLength(
        2,
      );
    }
  });

  test.each(DATED_STREAMS)(
    '%s: every pinned instant appears as its Intl wall time, several per fall-back hour',
    (stream) => {
      const created = truth<{ createDate: string }>(stream).map((r) => normalizeWall(r.createDate));
      for (const pin of dstPins(RANGE)) expect(created).toContain(intlWall7(pin));
      for (const day of FALL_BACK_DAYS)
        expect(created.filter((c) => c.startsWith(`${day}T01:`)).length).toBeGreaterThanOrEqual(4);
      for (const day of SPRING_FORWARD_DAYS) {
        expect(created).toContain(`${day}T01:59:58.5030000`);
        expect(created).toContain(`${day}T03:00:00.2500000`);
      }
    },
  );

  test('orders also carry modifyDate values inside each fall-back hour', () => {
    const orders = truth<ApiOrder>('orders');
    for (const day of FALL_BACK_DAYS)
      expect(orders.filter((o) => o.modifyDate.startsWith(`${day}T01:`)).length).toBeGreaterThanOrEqual(4);
  });

  test('no datetime in any stream falls inside a spring-forward gap', () => {
    const values = ([...DATED_STREAMS, 'stores', 'warehouses'] as const).flatMap((s) => allDatetimeStrings(truth(s)));
    expect(values.length).toBeGreaterThan(10_000);
    const inGap = values.filter((v) => SPRING_FORWARD_DAYS.some((day) => v.startsWith(`${day}T02:`)));
    expect(inGap).toEqual([]);
  });

  test('sorting by createDate inside the ambiguous hour follows the naive wall value, ties by id', async () => {
    const got = await listAll<ApiOrder>(sim, 'orders', {
      createDateStart: '2024-11-03 01:00:00',
      createDateEnd: '2024-11-03 01:59:59',
      sortBy: 'CreateDate',
    });
    const walls = got.map((o) => o.createDate);
    expect(walls).toEqual([...walls].sort());
    const twins = got.filter((o) => o.createDate === '2024-11-03T01:12:34.5670000');
    expect(twins).toHaveLength(2);
    expect(twins[0]!.orderId).toBeLessThan(twins[1]!.orderId);
    // The 01:47 PDT order was created an hour before the 01:29 PST one, yet sorts after it.
    const pdtLate = got.find((o) => o.createDate === '2024-11-03T01:47:03.0030000')!;
    const pstEarly = got.find((o) => o.createDate === '2024-11-03T01:29:59.9970000')!;
    expect(pdtLate.orderId).toBeLessThan(pstEarly.orderId);
    expect(got.indexOf(pdtLate)).toBeGreaterThan(got.indexOf(pstEarly));
  });
});
