/**
 * What every workload shares: the run context, the shape of a report section, per-contender
 * notes (hangs, failures), and the fresh-pool-per-repetition loop interleaved across contenders.
 */
import type { Contender, PoolHandle } from '../contenders/contender.ts';
import { withTimeout } from '../guard.ts';

/** Longest wait for a pool to close before the bench gives up on it and notes a hang. */
export const CLOSE_TIMEOUT_MS = 5_000;

export interface RunContext {
  readonly quick: boolean;
  readonly workers: number;
  readonly contenders: readonly Contender[];
  readonly notes: Notes;
  log(line: string): void;
}

/** A stated target on this machine: reported as met or missed, never asserted. */
export interface TargetResult {
  readonly target: string;
  /** undefined when a figure needed for the verdict is missing. */
  readonly met: boolean | undefined;
  readonly figures: string;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** How it was measured, in one or two sentences. */
  readonly method: string;
  /** Load average (1/5/15 min) when the section started: the machine is shared, figures move with it. */
  readonly loadAverage?: string;
  /** Share (0..1) of the machine's CPU time other processes used during the section (run.ts fills it). */
  readonly otherCpuShare?: number;
  /** Other processes competed for the cores during the section: its verdicts are unreliable. */
  readonly busy?: boolean;
  /** CPU time of the section's own child processes, ms (so it is not counted as other work). */
  readonly childCpuMs?: number;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly targets: readonly TargetResult[];
}

export interface Workload {
  readonly id: string;
  run(context: RunContext): Promise<Section>;
}

/** Footnotes per contender: anything that went wrong, so the table can say so. */
export class Notes {
  readonly #byLabel = new Map<string, Set<string>>();

  add(label: string, note: string): void {
    let set = this.#byLabel.get(label);
    if (set === undefined) this.#byLabel.set(label, (set = new Set()));
    set.add(note);
  }

  /** "label: note" lines, in insertion order. */
  lines(): string[] {
    return [...this.#byLabel].flatMap(([label, notes]) => [...notes].map((note) => `${label}: ${note}`));
  }

  has(label: string): boolean {
    return this.#byLabel.has(label);
  }
}

/**
 * Runs `body` on a fresh pool of `contender`, guarded: a body slower than `timeoutMs` or a close
 * slower than CLOSE_TIMEOUT_MS is noted and the run moves on. Returns undefined on failure.
 */
export async function withFreshPool<T>(
  context: RunContext,
  contender: Contender,
  timeoutMs: number,
  what: string,
  body: (pool: PoolHandle) => Promise<T>,
): Promise<T | undefined> {
  let pool: PoolHandle;
  try {
    pool = contender.create(context.workers);
  } catch (error) {
    context.notes.add(contender.label, `${what}: could not create a pool (${String(error)})`);
    return undefined;
  }
  const outcome = await withTimeout(body(pool), timeoutMs, what);
  if (!outcome.ok) context.notes.add(contender.label, outcome.reason);
  const closed = await withTimeout(pool.close(), CLOSE_TIMEOUT_MS, `close() after ${what}`);
  if (!closed.ok) context.notes.add(contender.label, closed.reason);
  return outcome.ok ? outcome.value : undefined;
}

/**
 * Repetition-major loop: for each repetition, every contender once (A, B, C, … then again), so
 * a noisy moment of the shared machine hits all contenders alike. Collects samples per label.
 */
export async function interleave<T>(
  repetitions: number,
  contenders: readonly Contender[],
  measure: (contender: Contender, repetition: number) => Promise<T | undefined>,
): Promise<Map<string, T[]>> {
  const samples = new Map<string, T[]>(contenders.map((contender) => [contender.label, []]));
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    for (const contender of contenders) {
      const sample = await measure(contender, repetition);
      if (sample !== undefined) samples.get(contender.label)?.push(sample);
    }
  }
  return samples;
}

/** The peer with the best median by `better` (higher or lower), or undefined when none ran. */
export function bestPeer(
  contenders: readonly Contender[],
  medians: ReadonlyMap<string, number>,
  better: 'higher' | 'lower',
): { label: string; value: number } | undefined {
  let best: { label: string; value: number } | undefined;
  for (const contender of contenders) {
    const value = medians.get(contender.label);
    if (!contender.isPeer || value === undefined || Number.isNaN(value)) continue;
    if (best === undefined || (better === 'higher' ? value > best.value : value < best.value)) {
      best = { label: contender.label, value };
    }
  }
  return best;
}

/** Awaits the first result of a fresh pool (workers started, module loaded). */
export async function firstResult(pool: PoolHandle): Promise<void> {
  const value = await pool.submit('inc', 41);
  if (value !== 42) throw new Error(`inc(41) returned ${String(value)}`);
}
