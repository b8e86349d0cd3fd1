/**
 * Type tests: checked by `tsc` (npm run typecheck), never run. A broken inference makes an
 * assertion below fail to compile, and a `@ts-expect-error` that no longer errors fails too.
 */
import {
  ThreadPool,
  tasksOf,
  taskRef,
  type Future,
  type TaskArgs,
  type TaskResult,
} from '../../src/index.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const t = tasksOf<typeof import('../fixtures/tasks.ts')>(new URL('../fixtures/tasks.ts', import.meta.url));

export async function inferenceChecks(pool: ThreadPool): Promise<void> {
  // submit: arguments and result come from the exported function.
  const sum = pool.submit(t.add, 1, 2);
  assertType<Equal<typeof sum, Future<number>>>();
  const doubled = await pool.submit(t.asyncDouble, 2);
  assertType<Equal<typeof doubled, number>>();

  // @ts-expect-error a string where a number is expected fails to compile
  pool.submit(t.add, 'one', 2);
  // @ts-expect-error too few arguments
  pool.submit(t.add, 1);
  // @ts-expect-error a name that the module does not export
  pool.submit(t.notAnExport);

  // map: one argument per input; the result type follows the task.
  for await (const squared of pool.map(t.square, [1, 2, 3])) assertType<Equal<typeof squared, number>>();
  // @ts-expect-error inputs of the wrong type
  pool.map(t.square, ['a']);
  for await (const added of pool.starmap(t.add, [[1, 2]] as [number, number][]))
    assertType<Equal<typeof added, number>>();

  // .with() keeps the signature.
  const limited = t.add.with({ timeoutMs: 100 });
  assertType<Equal<TaskArgs<typeof limited>, [a: number, b: number]>>();
  assertType<Equal<TaskResult<typeof limited>, number>>();

  // taskRef types one export by its function type.
  const square = taskRef<(typeof import('../fixtures/tasks.ts'))['square']>(
    new URL('../fixtures/tasks.ts', import.meta.url),
    'square',
  );
  const four = await pool.submit(square, 2);
  assertType<Equal<typeof four, number>>();
}
