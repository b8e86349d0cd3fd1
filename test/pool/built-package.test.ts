/**
 * The built package (dist/, what npm ships), not the sources: the worker entries are bundled
 * there, and a task module imports `manycore/worker` by name, so both sides must share one
 * instance of its stateful modules. `npm test` builds dist/ before it runs the tests.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type * as Manycore from '../../src/index.ts';
import type * as DistTasks from '../fixtures/dist-tasks.mjs';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';

const distIndex = new URL('../../dist/index.js', import.meta.url);
// In CI dist/ always exists (npm test builds it); elsewhere, say why the suite does not run.
const skip =
  existsSync(distIndex) || process.env.CI !== undefined ? false : 'dist/ is not built: run npm run build';

checkLeaksAfterEach();

describe('the built package', { skip }, () => {
  const load = async () => {
    const manycore = (await import(distIndex.href)) as typeof Manycore;
    const tasks = manycore.tasksOf<typeof DistTasks>(new URL('../fixtures/dist-tasks.mjs', import.meta.url));
    return { manycore, tasks };
  };

  for (const backend of ['ThreadPool', 'ProcessPool'] as const) {
    it(`${backend}: a task module's manycore/worker sees its worker index and reports progress`, async () => {
      const { manycore, tasks } = await load();
      await using pool = new manycore[backend]({ workers: 1 });
      const progress: unknown[] = [];
      const index = await pool.submit(tasks.whereAmI.with({ onProgress: (event) => progress.push(event) }));
      assert.equal(index, 0);
      assert.equal(progress.length, 1);
    });
  }

  it("ThreadPool: a result passed through the task module's move() is transferred, not copied", async () => {
    const { manycore, tasks } = await load();
    await using pool = new manycore.ThreadPool({ workers: 1 });
    assert.equal((await pool.submit(tasks.giveBuffer)).byteLength, 1000);
    assert.equal(await pool.submit(tasks.movedLength), 0);
  });
});
