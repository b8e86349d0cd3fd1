/**
 * The unit that `timeit` and `compare` time: something that runs N iterations and reports
 * how long they took. Keeping it this small lets a plain function and a compiled CLI snippet
 * share one measuring engine.
 */

/** Something that can be timed: runs `iterations` iterations, resolves to elapsed nanoseconds. */
export interface TimedSubject {
  /** Runs the statement `iterations` times after any setup; the setup is not timed. */
  run(iterations: number): Promise<number>;
  /** The same harness around an empty statement, to measure what the harness itself costs. */
  emptyTwin?(): TimedSubject;
}

/**
 * Where results go so that the JIT cannot prove them unused and delete the work. Writing
 * into a heap object that escapes (here: is inspected after the loop) is enough; V8 does not
 * eliminate stores to escaping objects.
 */
export interface Sink {
  value: unknown;
}

const NEVER = Symbol('manycore.sink');

/** Makes the sink escape: the comparison is never true but V8 cannot know that. */
export function consumeSink(sink: Sink): void {
  if (sink.value === NEVER) throw new Error('unreachable');
}

type SyncLoop = (fn: (state: unknown) => unknown, state: unknown, iterations: number, sink: Sink) => number;
type AsyncLoop = (
  fn: (state: unknown) => unknown,
  state: unknown,
  iterations: number,
  sink: Sink,
) => Promise<number>;

/**
 * A fresh copy of the timing loop for each subject. With one shared loop, the call site
 * `fn(state)` would see every subject's function, turn megamorphic, and charge the later
 * subjects for an indirect call the first one did not pay; compiling the loop per subject
 * gives each call site its own type feedback (mitata does the same for the same reason).
 */
function compileLoop(isAsync: boolean): SyncLoop | AsyncLoop {
  const body =
    'const start = process.hrtime.bigint();\n' +
    `for (let i = 0; i < iterations; i++) sink.value = ${isAsync ? 'await ' : ''}fn(state);\n` +
    'return Number(process.hrtime.bigint() - start);';
  const Factory = isAsync ? AsyncFunction : Function;
  return new Factory('fn', 'state', 'iterations', 'sink', body) as SyncLoop | AsyncLoop;
}

/** The constructor of async functions, which is not a global. */
export const AsyncFunction = (async () => {
  await Promise.resolve();
}).constructor as FunctionConstructor;

/**
 * Wraps a function as a subject. `setup` runs before each timed run (not timed) and its
 * value is passed to `fn`, like Python timeit's per-repeat setup. A function that returns a
 * promise is awaited on every iteration, and that await is part of what is measured.
 */
export function subjectFromFunction<S>(
  fn: (state: S) => unknown,
  setup?: () => S | Promise<S>,
): TimedSubject {
  let loop: SyncLoop | AsyncLoop | undefined;
  const call = fn as (state: unknown) => unknown;
  return {
    async run(iterations: number): Promise<number> {
      const state = setup ? await setup() : undefined;
      const sink: Sink = { value: undefined };
      if (loop === undefined) {
        // One untimed probe call decides between the sync loop (no await overhead) and the async one.
        const probe = call(state);
        const isAsync = typeof (probe as { then?: unknown } | null)?.then === 'function';
        sink.value = isAsync ? await probe : probe;
        loop = compileLoop(isAsync);
      }
      const elapsed = await loop(call, state, iterations, sink);
      consumeSink(sink);
      return elapsed;
    },
    emptyTwin: () => subjectFromFunction(() => undefined),
  };
}
