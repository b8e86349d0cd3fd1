/**
 * The fault suite: a failure injected at every boundary (the task, the worker, the wire, the
 * module, the options, the pool's life) must end in a typed error, never a hang or a lost task.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  InvalidOptionError,
  NotCloneableError,
  PoolClosedError,
  RemoteError,
  TaskError,
  TaskModuleError,
  TaskNotFoundError,
  WorkerExitedError,
  WorkerInitError,
  taskRef,
  tasksOf,
} from '../../src/index.ts';
import type { Backend } from './backend.ts';
import { checkLeaksAfterEach, nextEvent, t, tasksUrl } from './harness.ts';

export function faultSuite(backend: Backend): void {
  describe(`Executor faults: ${backend.name}`, () => {
    checkLeaksAfterEach();

    test('a thrown error keeps class name, message, own properties, cause chain and remote stack', async () => {
      await using pool = backend.create({ workers: 1 });
      await assert.rejects(pool.submit(t.throwValidation, 'email'), (error: unknown) => {
        assert.ok(error instanceof TaskError);
        assert.equal(error.code, 'ERR_TASK_FAILED');
        assert.match(
          error.message,
          /tasks\.ts#throwValidation threw ValidationError: field email is invalid/,
        );
        const remote = error.cause;
        assert.ok(remote instanceof RemoteError);
        assert.equal(remote.name, 'ValidationError');
        assert.equal(remote.message, 'field email is invalid');
        assert.equal(remote['code'], 'E_BAD_INPUT');
        assert.equal(remote['field'], 'email');
        assert.match(remote.stack ?? '', /throwValidation/);
        assert.ok(remote.cause instanceof RemoteError);
        assert.equal(remote.cause.name, 'RangeError');
        assert.equal(remote.cause.message, 'too small');
        return true;
      });
    });

    test('process.exit() mid-task rejects that task only; the worker is replaced and others go on', async () => {
      await using pool = backend.create({ workers: 2 });
      const others = Array.from({ length: 200 }, (_, i) => pool.submit(t.add, i, 0));
      const dying = pool.submit(t.exitProcess, 3);
      await assert.rejects(dying, (error: unknown) => {
        assert.ok(error instanceof WorkerExitedError);
        assert.equal(error.code, 'ERR_WORKER_EXITED');
        assert.equal(error.exitCode, 3);
        assert.match(error.message, /exit code 3/);
        return true;
      });
      assert.deepEqual(
        await Promise.all(others),
        Array.from({ length: 200 }, (_, i) => i),
      );
      assert.equal(await pool.submit(t.add, 40, 2), 42);
    });

    test('an uncaught exception in a timer kills the worker mid-task: typed error naming it', async () => {
      await using pool = backend.create({ workers: 1 });
      await assert.rejects(pool.submit(t.crashInTimerMidTask), (error: unknown) => {
        assert.ok(error instanceof WorkerExitedError);
        assert.match(error.reason, /boom in a timer/);
        return true;
      });
      assert.equal(await pool.submit(t.add, 1, 1), 2);
    });

    test('running out of memory under the heap limit is an error naming the limit', async () => {
      await using pool = backend.create({ workers: 1, ...backend.smallHeap.options });
      await assert.rejects(pool.submit(t.allocateForever), (error: unknown) => {
        assert.ok(error instanceof WorkerExitedError);
        assert.match(error.reason, /out of memory/);
        assert.ok(error.reason.includes(backend.smallHeap.reasonIncludes), error.reason);
        return true;
      });
      assert.equal(await pool.submit(t.add, 1, 1), 2);
    });

    test('an argument that cannot be cloned fails at submit, naming its path', async () => {
      await using pool = backend.create({ workers: 1 });
      assert.throws(
        () => pool.submit(t.roundTrip, { user: { onDone: () => undefined } }),
        (error: unknown) => {
          assert.ok(error instanceof NotCloneableError);
          assert.equal(error.code, 'ERR_ARGUMENT_NOT_CLONEABLE');
          assert.equal(error.path, 'args[0].user.onDone');
          assert.match(error.message, /a function/);
          return true;
        },
      );
      assert.throws(() => pool.submit(t.roundTrip, Symbol('s')), {
        code: 'ERR_ARGUMENT_NOT_CLONEABLE',
        path: 'args[0]',
      });
      assert.equal(await pool.submit(t.add, 1, 1), 2);
    });

    test('a result that cannot be cloned rejects with ERR_RESULT_NOT_CLONEABLE', async () => {
      await using pool = backend.create({ workers: 1 });
      await assert.rejects(pool.submit(t.returnFunction), { code: 'ERR_RESULT_NOT_CLONEABLE' });
      await assert.rejects(pool.submit(t.returnSymbol), { code: 'ERR_RESULT_NOT_CLONEABLE' });
      assert.equal(await pool.submit(t.add, 1, 1), 2);
    });

    test('a missing module, a module that throws on load, and a missing export are named', async () => {
      await using pool = backend.create({ workers: 1 });
      const missing = tasksOf<{ f: () => void }>(new URL('../fixtures/does-not-exist.ts', import.meta.url));
      await assert.rejects(pool.submit(missing.f), (error: unknown) => {
        assert.ok(error instanceof TaskModuleError);
        assert.match(error.message, /does-not-exist\.ts could not be loaded/);
        return true;
      });
      const throwing = tasksOf<{ never: () => void }>(
        new URL('../fixtures/throws-on-load.ts', import.meta.url),
      );
      await assert.rejects(pool.submit(throwing.never), (error: unknown) => {
        assert.ok(error instanceof TaskModuleError);
        assert.match(error.message, /this module refuses to load/);
        return true;
      });
      const absent = taskRef<() => void>(tasksUrl, 'noSuchExport');
      await assert.rejects(pool.submit(absent), (error: unknown) => {
        assert.ok(error instanceof TaskNotFoundError);
        assert.equal(error.code, 'ERR_TASK_NOT_FOUND');
        assert.match(error.message, /no exported function "noSuchExport"/);
        assert.match(error.message, /function exports are: .*\badd\b.*\bsquare\b/);
        return true;
      });
    });

    test('invalid options name the option, the accepted range and the value received', () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ workers: 0 }, /"workers" must be an integer >= 1; received number 0/],
        [{ maxQueue: -1 }, /"maxQueue"/],
        [{ minWorkers: 3, maxWorkers: 2 }, /"minWorkers" must be an integer <= maxWorkers \(2\)/],
        [{ queueFullPolicy: 'drop' }, /"queueFullPolicy" must be "reject" or "wait"/],
        [{ wrokers: 2 }, /"wrokers" must be one of the known options/],
      ];
      for (const [options, message] of cases) {
        assert.throws(
          () => backend.create(options),
          (error: unknown) => {
            assert.ok(error instanceof InvalidOptionError);
            assert.equal(error.code, 'ERR_INVALID_OPTION');
            assert.match(error.message, message);
            return true;
          },
        );
      }
    });

    test('invalid task options are refused at submit', async () => {
      await using pool = backend.create({ workers: 1 });
      assert.throws(
        () => pool.submit(t.add.with({ timeoutMs: -5 }), 1, 1),
        /"timeoutMs" must be a finite number of milliseconds > 0; received number -5/,
      );
      assert.throws(() => pool.submit(t.add.with({ retry: { retries: 1.5 } }), 1, 1), /"retry.retries"/);
    });

    test('submit after close rejects with ERR_POOL_CLOSED', async () => {
      const pool = backend.create({ workers: 1 });
      await pool.close();
      await assert.rejects(
        pool.submit(t.add, 1, 1),
        (error: unknown) => error instanceof PoolClosedError && error.code === 'ERR_POOL_CLOSED',
      );
    });

    test('an initializer that throws breaks the pool: tasks reject with ERR_WORKER_INIT_FAILED', async () => {
      const pool = backend.create({ workers: 2, initializer: t.failInit });
      await assert.rejects(pool.submit(t.add, 1, 1), (error: unknown) => {
        assert.ok(error instanceof WorkerInitError);
        assert.match(String((error.cause as Error).message), /initializer refuses/);
        return true;
      });
      await assert.rejects(pool.submit(t.add, 1, 1), WorkerInitError);
      await pool.close();
    });

    test('a worker killed while the pool closes does not hang close()', async () => {
      const pool = backend.create({ workers: 1 });
      const exit = nextEvent(pool, 'worker:exit');
      const dying = pool.submit(t.exitProcess, 9).catch((error: unknown) => error);
      const closing = pool.close();
      await exit;
      await closing;
      assert.ok((await dying) instanceof WorkerExitedError);
    });
  });
}
