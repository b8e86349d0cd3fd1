import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runProfileCommand } from '../../src/measure/cli/profile-command.ts';
import { loadProfile, mergeProfiles } from '../../src/measure/profile/profile-file.ts';
import { profile } from '../../src/measure/profile/profile.ts';
import { profileTables } from '../../src/measure/profile/profile-table.ts';
import type { ProfileSet } from '../../src/measure/profile/cpu-profile.ts';

const fixture = new URL('./fixtures/hot-worker.mjs', import.meta.url);
const program = new URL('./fixtures/hot-program.mjs', import.meta.url).pathname;

function topFunction(set: ProfileSet, thread: string): string | undefined {
  return profileTables(set, { limit: 1 }).find((t) => t.thread === thread)?.rows[0]?.name;
}

describe('profile', () => {
  checkLeaksAfterEach();

  it('profiles a worker from its first line and attributes its samples to it', async () => {
    const { value, profiles } = await profile(
      async () => {
        // Counted work: 3e7 iterations in the worker; the main thread only waits.
        const worker = new Worker(fixture, { workerData: { iterations: 3e7 } });
        const result = await new Promise<unknown>((resolve) => worker.once('message', resolve));
        await worker.terminate();
        return result;
      },
      { callCounts: true },
    );
    assert.equal(typeof value, 'number');
    assert.deepEqual(profiles.warnings, []);
    // Node may run threads of its own (on Node 24 the module-hooks thread of tsx shows up as a
    // worker too): the fixture's worker is the one whose hottest function is its loop.
    const workers = profiles.threads.filter((t) => t.kind === 'worker');
    assert.ok(workers.length >= 1, 'a worker profile');
    const worker = workers.find((t) => topFunction(profiles, t.name) === 'hotWorkerLoop');
    assert.ok(
      worker,
      `the worker's hottest function is hotWorkerLoop (workers: ${workers.map((t) => `${t.name}: ${topFunction(profiles, t.name)}`).join(', ')})`,
    );
    const mainRows = profileTables(profiles, { filter: 'hotWorkerLoop' }).find((t) => t.thread === 'main');
    assert.equal(mainRows?.rows.length, 0, 'the worker function must not appear in the main thread');
    const calls = profileTables(profiles, { filter: 'hotWorkerLoop' }).find((t) => t.thread === worker.name)
      ?.rows[0];
    assert.equal(calls?.calls, 1);
  });

  it('refuses to nest', async () => {
    await profile(async () => {
      await assert.rejects(
        profile(() => 1),
        { code: 'ERR_PROFILER' },
      );
    });
  });

  it('profiles a program, its worker and its forked child, and writes every format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manycore-profile-test-'));
    try {
      let text = '';
      const code = await runProfileCommand({
        script: program,
        outDir: dir,
        limit: 5,
        stdout: (chunk) => (text += chunk),
      });
      assert.equal(code, 0);
      const set = loadProfile(join(dir, 'profile.manycore-profile.json'));
      assert.deepEqual(
        set.threads.map((t) => t.kind),
        ['main', 'worker', 'process'],
      );
      const worker = set.threads[1]?.name ?? '';
      const child = set.threads[2]?.name ?? '';
      assert.equal(topFunction(set, worker), 'workerHotLoop');
      assert.equal(topFunction(set, child), 'childHotLoop');
      assert.match(text, /workerHotLoop/);
      const speedscope = JSON.parse(readFileSync(join(dir, 'profile.speedscope.json'), 'utf8')) as {
        profiles: { name: string; samples: unknown[] }[];
      };
      assert.equal(speedscope.profiles.length, 3);
      assert.match(readFileSync(join(dir, 'profile.flame.html'), 'utf8'), /<svg[^>]*>.*workerHotLoop/s);
      // Merging a run with itself doubles every sample count, thread by thread.
      const merged = mergeProfiles([set, set]);
      assert.equal(merged.threads.length, 3);
      const before = profileTables(set, { filter: 'childHotLoop' })[2]?.rows[0]?.samples ?? 0;
      const after = profileTables(merged, { filter: 'childHotLoop' })[2]?.rows[0]?.samples ?? -1;
      assert.equal(after, 2 * before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
