// The expected output for a simulator record, computed independently of the connector's own conversion:
// every Pacific wall-clock date-time string becomes UTC by searching Intl for the instant that shows it, the
// calendar-date fields keep their date, and the quirk values the simulator sends take their declared type.
const pacific = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An instant's Pacific wall clock, `YYYY-MM-DDTHH:mm:ss`, from the platform's tz database (the tests' oracle). */
export function intlPacificWall(utcMs: number): string {
  const p = Object.fromEntries(pacific.formatToParts(utcMs).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?$/;

/** Wall seconds already converted: suites compare the same records many times (resumes, repeated reads of one seed). */
const converted = new Map<string, string>();

export function expectedUtc(value: string): string {
  const m = DATE_TIME.exec(value);
  if (!m) return value;
  const wall = `${m[1]}T${m[2]}`;
  const ms = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  let second = converted.get(wall);
  if (second === undefined) {
    const naive = Date.parse(`${wall}Z`);
    // Earliest instant showing this wall time; none in the spring-forward gap, which moves forward.
    const match =
      [7, 8].map((h) => naive + h * 3_600_000).find((t) => intlPacificWall(t) === wall) ?? naive + 8 * 3_600_000;
    converted.set(wall, (second = new Date(match).toISOString().slice(0, 19)));
  }
  return `${second}.${ms}Z`;
}

/** Fields ShipStation sends as midnight date-times that mean a calendar date. */
const CALENDAR_DATES = new Set(['shipByDate', 'shipDate', 'holdUntilDate']);
/** What the simulator's quirk values ("" where the schema declares a list, a flag or a number) become. */
const QUIRK_VALUES: Record<string, unknown> = {
  tags: [],
  statusMappings: [],
  residential: null,
  registerFedexMeter: null,
  sellerIntegrationId: null,
};

function expectedField(key: string, value: unknown): unknown {
  if (value === '' && key in QUIRK_VALUES) return QUIRK_VALUES[key];
  if (typeof value === 'string' && CALENDAR_DATES.has(key)) return value.slice(0, 10);
  return expectedRecord(value);
}

/** A deep copy of an API record with every value converted as the connector promises. */
export function expectedRecord<T>(value: T): T {
  if (typeof value === 'string') return expectedUtc(value) as T;
  if (Array.isArray(value)) return value.map((v) => expectedRecord(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expectedField(k, v)])) as T;
  }
  return value;
}
