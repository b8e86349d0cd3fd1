import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amdahlSpeedup, fitAmdahl, karpFlatt } from '../../src/measure/amdahl.ts';
import { analyseScaling } from '../../src/measure/scale.ts';
import { createSeededRandom } from '../../src/measure/statistics.ts';
import { captureEnvironment } from '../../src/measure/environment.ts';

const quiet = { wallMs: 0, ownCpuMs: 0, machineBusyMs: 0, otherCpuMs: 0, otherCores: 0, stealMs: 0 };

/** Times of a workload with serial fraction `s` and one-worker time `t1`, with ±`noise` seeded jitter. */
function amdahlTimes(s: number, t1: number, counts: readonly number[], noise: number, seed: number) {
  const random = createSeededRandom(seed);
  return counts.map((workers) => ({
    workers,
    timeMs: t1 * (s + (1 - s) / workers) * (1 + (random() - 0.5) * 2 * noise),
  }));
}

describe('Amdahl and Karp–Flatt', () => {
  it('computes Karp–Flatt by hand', () => {
    // S = 1.6 on 2 workers: (1/1.6 − 1/2) / (1 − 1/2) = (0.625 − 0.5) / 0.5 = 0.25
    assert.equal(karpFlatt(1.6, 2), 0.25);
    assert.equal(karpFlatt(1, 1), undefined);
    assert.equal(amdahlSpeedup(0.25, 2), 1.6);
  });

  it('recovers an exact serial fraction from exact timings', () => {
    const fit = fitAmdahl(amdahlTimes(0.2, 1000, [1, 2, 4, 8], 0, 1));
    assert.ok(Math.abs(fit.serialFraction - 0.2) < 1e-9);
    assert.ok(Math.abs(fit.oneWorkerMs - 1000) < 1e-6);
    assert.ok(Math.abs(fit.maxSpeedup - 5) < 1e-6);
  });

  for (const s of [0.05, 0.2, 0.5]) {
    it(`recovers serial fraction ${s} within 0.03 from timings with 2% seeded noise`, () => {
      const fit = fitAmdahl(amdahlTimes(s, 2000, [1, 2, 3, 4, 6, 8], 0.02, 11));
      assert.ok(Math.abs(fit.serialFraction - s) < 0.03, `fitted ${fit.serialFraction}`);
    });
  }

  it('needs two distinct worker counts', () => {
    assert.throws(() => fitAmdahl([{ workers: 2, timeMs: 5 }]), { code: 'ERR_SCALE' });
  });

  it('fits only points at or below the core count and marks the rest oversubscribed', () => {
    const timings = amdahlTimes(0.1, 1000, [1, 2, 4], 0, 1);
    // Past 4 cores the time stops falling: oversubscription, which must not bend the fit.
    const runs = [...timings, { workers: 8, timeMs: 400 }].map((t) => ({
      workers: t.workers,
      runsMs: [t.timeMs],
      cpuLoad: quiet,
    }));
    const report = analyseScaling(runs, 4, captureEnvironment());
    assert.deepEqual(report.amdahl?.workersUsed, [1, 2, 4]);
    assert.ok(Math.abs((report.amdahl?.serialFraction ?? -1) - 0.1) < 1e-9);
    const eight = report.points.find((p) => p.workers === 8);
    assert.equal(eight?.oversubscribed, true);
    assert.equal(eight?.speedup, 2.5);
    assert.equal(eight?.efficiency, 2.5 / 8);
    const two = report.points.find((p) => p.workers === 2);
    assert.ok(Math.abs((two?.karpFlatt ?? -1) - 0.1) < 1e-9);
  });
});
