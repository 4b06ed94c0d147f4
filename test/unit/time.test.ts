import { describe, expect, test } from '@jest/globals';
import { intlPacificWall } from '../helpers/expected.js';
import { pacificToUtc, parsePacificWallClock, utcToPacificFilter } from '../../src/time/pacific.js';

describe('pacificToUtc around DST transitions', () => {
  // [Pacific wall clock, UTC]: before, inside and after each 2023/2024 spring gap and fall overlap.
  const cases: [string, string][] = [
    // 2023-03-12: 02:00 PST jumps to 03:00 PDT (10:00Z).
    ['2023-03-12T01:59:59.999', '2023-03-12T09:59:59.999Z'],
    ['2023-03-12T02:00:00', '2023-03-12T10:00:00.000Z'],
    ['2023-03-12T02:30:00', '2023-03-12T10:30:00.000Z'],
    ['2023-03-12T02:59:59.999', '2023-03-12T10:59:59.999Z'],
    ['2023-03-12T03:00:00', '2023-03-12T10:00:00.000Z'],
    ['2023-03-12T03:30:00', '2023-03-12T10:30:00.000Z'],
    // 2023-11-05: 02:00 PDT falls back to 01:00 PST (09:00Z); 01:xx happens twice.
    ['2023-11-05T00:59:59', '2023-11-05T07:59:59.000Z'],
    ['2023-11-05T01:00:00', '2023-11-05T08:00:00.000Z'],
    ['2023-11-05T01:30:00', '2023-11-05T08:30:00.000Z'],
    ['2023-11-05T01:59:59.999', '2023-11-05T08:59:59.999Z'],
    ['2023-11-05T02:00:00', '2023-11-05T10:00:00.000Z'],
    ['2023-11-05T02:30:00', '2023-11-05T10:30:00.000Z'],
    // 2024-03-10
    ['2024-03-10T01:59:59', '2024-03-10T09:59:59.000Z'],
    ['2024-03-10T02:00:00', '2024-03-10T10:00:00.000Z'],
    ['2024-03-10T02:30:00', '2024-03-10T10:30:00.000Z'],
    ['2024-03-10T03:00:00', '2024-03-10T10:00:00.000Z'],
    ['2024-03-10T03:30:00', '2024-03-10T10:30:00.000Z'],
    // 2024-11-03
    ['2024-11-03T00:59:59', '2024-11-03T07:59:59.000Z'],
    ['2024-11-03T01:00:00', '2024-11-03T08:00:00.000Z'],
    ['2024-11-03T01:30:00', '2024-11-03T08:30:00.000Z'],
    ['2024-11-03T02:00:00', '2024-11-03T10:00:00.000Z'],
    // Whole-day checks either side.
    ['2024-01-15T12:00:00', '2024-01-15T20:00:00.000Z'],
    ['2024-07-15T12:00:00', '2024-07-15T19:00:00.000Z'],
    ['2023-12-31T23:59:59', '2024-01-01T07:59:59.000Z'],
  ];
  test.each(cases)('%s → %s', (wall, utc) => {
    expect(pacificToUtc(wall)).toBe(utc);
  });

  test('a spring-forward gap time moves forward, unlike date-fns-tz fromZonedTime (09:30Z)', () => {
    expect(pacificToUtc('2024-03-10T02:30:00')).toBe('2024-03-10T10:30:00.000Z');
  });
});

describe('pacificToUtc formats', () => {
  test.each([
    ['2015-08-17T09:24:16', '2015-08-17T16:24:16.000Z'],
    ['2015-08-17T09:24:16.4', '2015-08-17T16:24:16.400Z'],
    ['2015-08-17T09:24:16.48', '2015-08-17T16:24:16.480Z'],
    ['2015-08-17T09:24:16.482', '2015-08-17T16:24:16.482Z'],
    ['2015-08-17T09:24:16.4829', '2015-08-17T16:24:16.482Z'],
    ['2015-08-17T09:24:16.48299', '2015-08-17T16:24:16.482Z'],
    ['2015-08-17T09:24:16.482999', '2015-08-17T16:24:16.482Z'],
    ['2015-08-17T09:24:16.4800000', '2015-08-17T16:24:16.480Z'],
    ['2015-08-17T09:24:16.0000000', '2015-08-17T16:24:16.000Z'],
  ])('0–7 fractional digits: %s', (wall, utc) => {
    expect(pacificToUtc(wall)).toBe(utc);
  });

  test('digits past milliseconds are truncated, never rounded', () => {
    expect(pacificToUtc('2024-12-31T15:59:59.9999999')).toBe('2024-12-31T23:59:59.999Z');
    expect(pacificToUtc('2024-06-30T16:59:59.9995')).toBe('2024-06-30T23:59:59.999Z');
  });

  test('a space instead of T', () => {
    expect(pacificToUtc('2024-01-02 03:04:05.678')).toBe('2024-01-02T11:04:05.678Z');
  });

  test('a bare date is midnight Pacific', () => {
    expect(pacificToUtc('2015-04-25')).toBe('2015-04-25T07:00:00.000Z');
    expect(pacificToUtc('2015-01-25')).toBe('2015-01-25T08:00:00.000Z');
  });

  test.each([
    ['2024-03-10T02:30:00Z', '2024-03-10T02:30:00.000Z'],
    ['2024-03-10T02:30:00.1234567Z', '2024-03-10T02:30:00.123Z'],
    ['2024-03-10T02:30:00z', '2024-03-10T02:30:00.000Z'],
    ['2024-01-01T00:00:00+05:30', '2023-12-31T18:30:00.000Z'],
    ['2024-01-01T00:00:00-0800', '2024-01-01T08:00:00.000Z'],
    ['2024-01-01T00:00:00-07:00', '2024-01-01T07:00:00.000Z'],
    ['2024-01-01T00:00:00+00', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01 00:00:00.5+01:00', '2023-12-31T23:00:00.500Z'],
  ])('an explicit zone is respected: %s', (value, utc) => {
    expect(pacificToUtc(value)).toBe(utc);
  });

  test.each([
    '',
    'garbage',
    'null',
    '2024',
    '2024-1-01',
    '2024-01-1T00:00:00',
    '2024-13-01T00:00:00',
    '2024-00-10T00:00:00',
    '2023-02-29T00:00:00',
    '2024-04-31',
    '2024-01-01T24:00:00',
    '2024-01-01T23:60:00',
    '2024-01-01T23:59:60',
    '2024-01-01T00:00',
    '2024-01-01T00:00:00.',
    '2024-01-01T00:00:00.12a',
    '2024-01-01T00:00:00 ',
    ' 2024-01-01T00:00:00',
    '2024-01-01X00:00:00',
    '2024-01-01T00:00:00+5:00',
    '2024-01-01T00:00:00+24:00',
    '2024-01-01T00:00:00+05:60',
    '2024-01-01T00:00:00Z+01:00',
    '2024-01-01Z',
    '１２３４-01-01T00:00:00',
    '0001-01-01T00:00:00',
    '1899-12-31T23:59:59',
    '9999-12-31T23:59:59',
  ])('unparseable or unsupported → null: %j', (value) => {
    expect(pacificToUtc(value)).toBeNull();
  });

  test('leap days parse', () => {
    expect(pacificToUtc('2024-02-29T12:00:00')).toBe('2024-02-29T20:00:00.000Z');
    expect(pacificToUtc('2000-02-29T12:00:00')).toBe('2000-02-29T20:00:00.000Z');
    expect(pacificToUtc('1900-02-29T12:00:00')).toBeNull();
  });
});

describe('utcToPacificFilter', () => {
  test('PDT and PST, fraction floored to the second', () => {
    expect(utcToPacificFilter('2024-07-01T12:34:56.999Z')).toBe('2024-07-01 05:34:56');
    expect(utcToPacificFilter('2024-01-01T12:00:00.000Z')).toBe('2024-01-01 04:00:00');
    expect(utcToPacificFilter('2024-01-01T08:00:00Z')).toBe('2024-01-01 00:00:00');
    expect(utcToPacificFilter('2024-01-01T07:59:59.999Z')).toBe('2023-12-31 23:59:59');
  });

  test('accepts Date, epoch ms, offsets and zone-less strings read as UTC', () => {
    expect(utcToPacificFilter(new Date('2024-07-01T12:00:00Z'))).toBe('2024-07-01 05:00:00');
    expect(utcToPacificFilter(Date.parse('2024-07-01T12:00:00Z'))).toBe('2024-07-01 05:00:00');
    expect(utcToPacificFilter('2024-07-01T14:00:00+02:00')).toBe('2024-07-01 05:00:00');
    expect(utcToPacificFilter('2024-07-01T12:00:00')).toBe('2024-07-01 05:00:00');
  });

  test('across the transitions', () => {
    expect(utcToPacificFilter('2024-03-10T09:59:59Z')).toBe('2024-03-10 01:59:59');
    expect(utcToPacificFilter('2024-03-10T10:00:00Z')).toBe('2024-03-10 03:00:00');
    expect(utcToPacificFilter('2024-11-03T08:30:00Z')).toBe('2024-11-03 01:30:00');
    expect(utcToPacificFilter('2024-11-03T09:30:00Z')).toBe('2024-11-03 01:30:00');
    expect(utcToPacificFilter('2024-11-03T10:00:00Z')).toBe('2024-11-03 02:00:00');
  });

  test('round-trips with pacificToUtc outside the fall-back hour', () => {
    const utc = '2023-03-12T10:15:42.000Z';
    expect(pacificToUtc(utcToPacificFilter(utc))).toBe(utc);
  });

  test('throws on something that is not an instant', () => {
    expect(() => utcToPacificFilter('yesterday')).toThrow(RangeError);
    expect(() => utcToPacificFilter(Number.NaN)).toThrow(RangeError);
    expect(() => utcToPacificFilter(new Date('nope'))).toThrow(RangeError);
  });
});

describe('parsePacificWallClock', () => {
  test('wall-clock ms as if UTC, comparable across values', () => {
    expect(parsePacificWallClock('2024-01-02 03:04:05')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parsePacificWallClock('2024-01-02T03:04:05.6789')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(parsePacificWallClock('2024-01-02')).toBe(Date.UTC(2024, 0, 2));
    expect(parsePacificWallClock('2024-11-03T01:30:00')! < parsePacificWallClock('2024-11-03T01:30:00.001')!).toBe(
      true,
    );
  });

  test('null for zoned or unparseable values', () => {
    expect(parsePacificWallClock('2024-01-02T03:04:05Z')).toBeNull();
    expect(parsePacificWallClock('2024-01-02T03:04:05+01:00')).toBeNull();
    expect(parsePacificWallClock('soon')).toBeNull();
  });
});

// Independent oracle: Intl's own America/Los_Angeles rules, searched rather than computed.
/** Pacific wall clock of an instant, `YYYY-MM-DDTHH:mm:ss.SSS`, via Intl. */
function wallOf(instant: number): string {
  const millis = String(((instant % 1000) + 1000) % 1000).padStart(3, '0');
  return `${intlPacificWall(instant)}.${millis}`;
}

/** Expected UTC of a wall clock: the earliest valid instant; in a gap, the instant read with PST. */
function oracle(wall: string): string {
  const asUtc = Date.parse(`${wall}Z`);
  const valid = [7, 8].map((h) => asUtc + h * 3_600_000).filter((t) => wallOf(t) === wall);
  return new Date(valid.length > 0 ? Math.min(...valid) : asUtc + 8 * 3_600_000).toISOString();
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('property: agrees with an Intl-based search', () => {
  const from = Date.UTC(2020, 0, 1);
  const to = Date.UTC(2027, 0, 1);

  test('random instants 2020–2026: the wall clock converts back to the instant (earlier one if ambiguous)', () => {
    const random = mulberry32(20240310);
    for (let i = 0; i < 10_000; i++) {
      const instant = from + Math.floor(random() * (to - from));
      const wall = wallOf(instant);
      const earlier = instant - 3_600_000;
      const expected = wallOf(earlier) === wall ? earlier : instant;
      expect(pacificToUtc(wall)).toBe(new Date(expected).toISOString());
      expect(utcToPacificFilter(instant)).toBe(wall.slice(0, 19).replace('T', ' '));
    }
  });

  test('random wall clocks concentrated on transition days, including gap and overlap times', () => {
    const random = mulberry32(20231105);
    const transitionDays = [
      ...['2020-03-08', '2020-11-01', '2021-03-14', '2021-11-07', '2022-03-13', '2022-11-06', '2023-03-12'],
      ...['2023-11-05', '2024-03-10', '2024-11-03', '2025-03-09', '2025-11-02', '2026-03-08', '2026-11-01'],
    ];
    let gaps = 0;
    let overlaps = 0;
    for (let i = 0; i < 5_000; i++) {
      const day = transitionDays[Math.floor(random() * transitionDays.length)]!;
      // 00:00–04:00 wall clock, millisecond resolution.
      const wall = new Date(Date.parse(`${day}T00:00:00Z`) + Math.floor(random() * 4 * 3_600_000))
        .toISOString()
        .slice(0, 23);
      const expected = oracle(wall);
      const hour = Number(wall.slice(11, 13));
      if (hour === 2 && day.slice(5, 7) === '03') gaps++;
      if (hour === 1 && day.slice(5, 7) === '11') overlaps++;
      expect(pacificToUtc(wall)).toBe(expected);
    }
    expect(gaps).toBeGreaterThan(100);
    expect(overlaps).toBeGreaterThan(100);
  });

  test('random wall clocks 2020–2026 with random fractional digits', () => {
    const random = mulberry32(7);
    for (let i = 0; i < 10_000; i++) {
      const iso = new Date(from + Math.floor(random() * (to - from))).toISOString();
      const digits = Math.floor(random() * 8);
      const fraction = digits === 0 ? '' : `.${String(Math.floor(random() * 10 ** digits)).padStart(digits, '0')}`;
      const wall = `${iso.slice(0, 19)}${fraction}`;
      const millis = `${fraction.slice(1)}000`.slice(0, 3);
      expect(pacificToUtc(wall)).toBe(oracle(`${iso.slice(0, 19)}.${millis}`));
    }
  });
});
