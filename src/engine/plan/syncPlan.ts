// Which reads a sync makes, as a pure function of the configured streams, their states and the start date: one
// job per API stream (a parent read once for itself and its selected child streams), and for incremental jobs
// the cursor and where to resume. Every state is read here, before the first request: a bad one is a config
// error, not a half-done sync. What a person should hear about (a cursor switched, states that differ) comes
// back as notes for the caller to log.
import { childCursorFor, childCursors } from '../../streams/children.js';
import type { StreamSet } from '../../streams/streamSet.js';
import type { ChildStreamDefinition, CursorDefinition, SelectedStream, StreamDefinition } from '../../streams/types.js';
import type { WallClockZone } from '../../time/zone.js';
import { floorSecond } from '../../time/wallClock.js';
import type { KeysetPosition } from './keyset.js';
import { mergePlans, type ResumePlan } from './slices.js';
import { resumePoint } from './streamState.js';
import {
  parseNewestFirstState,
  planNewestFirst,
  type NewestFirstDecision,
  type NewestFirstPosition,
} from './newestFirst.js';
import { voidStart, type VoidStart } from './voidPass.js';

/**
 * One reader: an API stream read once, for itself if selected and for its selected child streams. Parent and
 * children share the sync mode and cursor (the catalog is checked for that).
 */
export interface StreamJob {
  def: StreamDefinition;
  parent?: SelectedStream;
  children: { def: ChildStreamDefinition; selected: SelectedStream }[];
  /**
   * For an incremental job: the cursor it reads by, where it resumes, its trailing re-scan in days, and for a
   * stream whose records are voided later, where its void pass starts (plan/voidPass.ts).
   */
  incremental?: { cursor: CursorDefinition; resume: ResumePlan; lookbackDays: number; voids?: VoidStart };
  /** For an incremental stream read newest first: what this sync reads, and the stored position. */
  newestFirst?: { decision: NewestFirstDecision; position?: NewestFirstPosition };
}

export interface SyncPlan {
  jobs: StreamJob[];
  /** Where an incremental stream starts without a usable state: start_date, or the beginning of history. */
  fresh: KeysetPosition;
  notes: { level: 'warn' | 'info'; message: string }[];
}

export interface SyncPlanInput {
  /** The dialect's streams the selection names. */
  offered: StreamSet;
  streams: readonly SelectedStream[];
  state: ReadonlyMap<string, unknown>;
  /** config.start_date (UTC ms), if any. */
  startDate?: number;
  /** Days of the trailing re-scan a stream's config asks for. */
  lookbackDays: (def: StreamDefinition) => number;
  zone: WallClockZone;
  /** The API the config is for (the dialect's name): states written for another are refused. */
  api?: string;
  /** For streams read newest first: this machine's clock (UTC ms), config.full_pass_hours and the settle margin. */
  fullPass: { nowUtc: number; hours: number; settleMs: number };
}

export function planSync({
  offered,
  streams,
  state,
  startDate,
  lookbackDays,
  zone,
  api,
  fullPass,
}: SyncPlanInput): SyncPlan {
  const startWall = startDate === undefined ? undefined : zone.utcToWall(startDate);
  const fresh: KeysetPosition = { from: startWall === undefined ? undefined : floorSecond(startWall), idsAtLast: [] };
  const notes: SyncPlan['notes'] = [];
  const jobs = groupJobs(offered, streams);
  for (const job of jobs) {
    const { def } = job;
    const mode = modeOf(job);
    if (mode.syncMode === 'full_refresh') continue;
    if (def.newestFirst) {
      const stored = parseNewestFirstState(state.get(def.name), def.name, def.newestFirst.field);
      if (stored.note) notes.push({ level: 'warn', message: stored.note });
      const decision = planNewestFirst(stored.position, fullPass.hours, fullPass.settleMs, fullPass.nowUtc);
      job.newestFirst = { decision, ...(stored.position ? { position: stored.position } : {}) };
      continue;
    }
    const cursor = def.cursors![mode.cursor!]!;
    // Each selected stream of the group resumes from its own state; the group reads from the earliest.
    const names = [...(job.parent ? [def.name] : []), ...job.children.map((c) => c.def.name)];
    // A child names the parent's cursor its own way (order_items: orderModifyDate for orders' modifyDate).
    const plainKeys = new Map(
      job.children.map(({ def: child }) => [child.name, childCursorFor(child, def, cursor.field)]),
    );
    const points = names.map((name) => {
      const point = resumePoint(state.get(name), name, cursor.field, zone, startWall, plainKeys.get(name), api);
      if (point.note) notes.push({ level: 'warn', message: point.note });
      return point;
    });
    const plans = points.map((p) => p.plan);
    const resume = mergePlans(plans);
    if (plans.some((p) => JSON.stringify(p) !== JSON.stringify(resume))) {
      notes.push({
        level: 'info',
        message: `${names.join(' and ')}: the states differ; reading from the earliest, so the streams further ahead re-read some records`,
      });
    }
    job.incremental = { cursor, resume, lookbackDays: lookbackDays(def) };
    if (def.voids) {
      job.incremental.voids = voidStart(
        points.map((p) => p.voidsThrough),
        readsFromStart(resume, fresh),
      );
    }
  }
  return { jobs, fresh, notes };
}

/** Whether a resume plan reads the stream from its start, nothing of it read yet (no state, or a cursor switched). */
function readsFromStart(plan: ResumePlan, fresh: KeysetPosition): boolean {
  const { frontier } = plan;
  return (
    plan.pending.length === 0 &&
    frontier.lastValue === undefined &&
    frontier.idsAtLast.length === 0 &&
    !frontier.group &&
    !frontier.skip &&
    frontier.from === fresh.from
  );
}

/** Groups the selected streams by the API stream they are read from, in catalog order. */
function groupJobs(offered: StreamSet, streams: readonly SelectedStream[]): StreamJob[] {
  const jobs = new Map<string, StreamJob>();
  const jobFor = (def: StreamDefinition): StreamJob => {
    let job = jobs.get(def.name);
    if (!job) jobs.set(def.name, (job = { def, children: [] }));
    return job;
  };
  for (const selected of streams) {
    const def = offered.find(selected.name);
    if (def) {
      jobFor(def).parent = selected;
      continue;
    }
    const child = offered.findChild(selected.name)!;
    jobFor(offered.parentOf(child)).children.push({ def: child, selected });
  }
  return [...jobs.values()];
}

/** The group's sync mode and the parent cursor it reads by (from the parent, or else from a child). */
function modeOf(job: StreamJob): { syncMode: SelectedStream['syncMode']; cursor?: string } {
  if (job.parent) return { syncMode: job.parent.syncMode, cursor: job.parent.cursorField };
  const { def, selected } = job.children[0]!;
  return {
    syncMode: selected.syncMode,
    cursor: selected.cursorField === undefined ? undefined : childCursors(def, job.def)[selected.cursorField],
  };
}
