import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runScaleCommand } from '../../src/measure/cli/scale-command.ts';
import type { ScaleReport } from '../../src/measure/scale.ts';

describe('scale (real run, structure only)', () => {
  checkLeaksAfterEach();

  it('runs a task module at each worker count and reports every field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manycore-scale-test-'));
    try {
      const inputs = join(dir, 'inputs.json');
      writeFileSync(inputs, JSON.stringify(Array.from({ length: 8 }, () => 200_000)));
      let json = '';
      const code = await runScaleCommand({
        task: 'test/measure/fixtures/scale-tasks.ts#spin',
        inputs,
        workers: '2,3',
        json: true,
        svg: join(dir, 'chart.svg'),
        stdout: (chunk) => (json += chunk),
      });
      assert.equal(code, 0);
      const report = JSON.parse(json) as ScaleReport;
      assert.deepEqual(
        report.points.map((p) => p.workers),
        [1, 2, 3],
      );
      for (const point of report.points) {
        assert.ok(point.timeMs > 0 && point.speedup > 0 && point.efficiency > 0);
        assert.equal(point.perWorker.length, point.workers);
        assert.equal(
          point.perWorker.reduce((sum, w) => sum + w.tasks, 0),
          8,
          'every input ran once in the timed run',
        );
        assert.equal(point.oversubscribed, point.workers > report.cores);
      }
      assert.equal(report.points[0]?.speedup, 1);
      assert.equal(report.points[0]?.karpFlatt, undefined);
      assert.equal(typeof report.environment.cpuCount, 'number');
      assert.match(readFileSync(join(dir, 'chart.svg'), 'utf8'), /^<svg[^]*speedup[^]*<\/svg>\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
