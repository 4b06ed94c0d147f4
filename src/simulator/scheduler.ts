// Mutations that fire later: just before the K-th API request from now (deterministic, so a test can change data
// between two given pages) or on real timers. A due mutation that has become impossible (a record it names was
// deleted) is skipped with a note on stderr instead of failing the request that triggered it.
import type { MutationSpec, Mutator } from './mutations.js';

/**
 * When a scheduled mutation fires:
 * - `atRequest: K` — just before the K-th API request counted from the schedule() call is handled (K=1: the next one);
 * - `afterMs` — once, on a real timer;
 * - `everyMs` — repeatedly on a real timer, `times` times (default: until closed).
 */
export type ScheduleTrigger =
  | { readonly atRequest: number }
  | { readonly afterMs: number }
  | { readonly everyMs: number; readonly times?: number };

export interface ScheduledMutation {
  cancel(): void;
}

interface RequestTriggered {
  readonly target: number;
  readonly spec: MutationSpec;
}

export class Scheduler {
  private requestsSeen = 0;
  private byRequest: RequestTriggered[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly mutator: Mutator) {}

  schedule(trigger: ScheduleTrigger, spec: MutationSpec): ScheduledMutation {
    this.mutator.validate(spec);
    if ('atRequest' in trigger) {
      requirePositive('atRequest', trigger.atRequest);
      const entry = { target: this.requestsSeen + trigger.atRequest, spec };
      this.byRequest.push(entry);
      return { cancel: () => (this.byRequest = this.byRequest.filter((e) => e !== entry)) };
    }
    if ('afterMs' in trigger) {
      requirePositive('afterMs', trigger.afterMs, true);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.run(spec);
      }, trigger.afterMs);
      this.timers.add(timer);
      return { cancel: () => this.stop(timer) };
    }
    requirePositive('everyMs', trigger.everyMs);
    let left = trigger.times ?? Infinity;
    if (trigger.times !== undefined) requirePositive('times', trigger.times);
    const timer = setInterval(() => {
      this.run(spec);
      if (--left <= 0) this.stop(timer);
    }, trigger.everyMs);
    this.timers.add(timer);
    return { cancel: () => this.stop(timer) };
  }

  /** Call once per API request, before handling it. */
  beforeApiRequest(): void {
    this.requestsSeen++;
    if (this.byRequest.length === 0) return;
    const due = this.byRequest.filter((entry) => entry.target === this.requestsSeen);
    if (due.length === 0) return;
    this.byRequest = this.byRequest.filter((entry) => entry.target !== this.requestsSeen);
    for (const entry of due) this.run(entry.spec);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.byRequest = [];
  }

  /**
   * Applies a due mutation. One that became impossible since it was scheduled (a record it names was deleted
   * first) is skipped with a note on stderr: it must not fail the API request or timer that triggered it.
   */
  private run(spec: MutationSpec): void {
    try {
      this.mutator.apply(spec);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      process.stderr.write(`simulator: scheduled ${spec.op} skipped: ${error.message}\n`);
    }
  }

  private stop(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }
}

function requirePositive(name: string, value: number, allowZero = false): void {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new RangeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`);
}
