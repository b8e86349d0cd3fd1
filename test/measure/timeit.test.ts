import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTimeitCommand } from '../../src/measure/cli/timeit-command.ts';
import { loadStatement } from '../../src/measure/statement.ts';
import { timeit } from '../../src/measure/timeit.ts';

describe('timeit', () => {
  it('runs setup once per repeat and the function number × repeat times after warm-up', async () => {
    let calls = 0;
    let setups = 0;
    const result = await timeit(
      (state: { step: number }) => {
        calls += state.step;
        return calls;
      },
      { setup: () => ((setups += 1), { step: 1 }), number: 100, repeat: 5, warmupRepeats: 2 },
    );
    // 1 probe call + 2 warm-up repeats + 5 timed repeats, each of 100 calls.
    assert.equal(calls, 1 + 7 * 100);
    assert.equal(setups, 7);
    assert.equal(result.samplesNs.length, 5);
    assert.equal(result.number, 100);
    assert.equal(result.summary.count, 5);
    assert.ok(result.summary.min <= result.summary.median && result.summary.median <= result.summary.max);
    assert.equal(result.environment.node, process.version);
    assert.equal(typeof result.environment.cpuModel, 'string');
  });

  it('awaits async functions on every call', async () => {
    let settled = 0;
    await timeit(
      async () => {
        await Promise.resolve();
        settled += 1;
      },
      { number: 10, repeat: 2, warmupRepeats: 0 },
    );
    assert.equal(settled, 1 + 2 * 10);
  });

  it('calibrates the iteration count to reach the target repeat length', async () => {
    let calls = 0;
    const result = await timeit(() => (calls += 1), { repeat: 2, targetRepeatMs: 1, warmupRepeats: 0 });
    assert.ok(result.number > 1, `number ${result.number}`);
    assert.ok(calls >= 2 * result.number);
  });

  it('rejects bad options with the option name', async () => {
    await assert.rejects(
      timeit(() => 1, { repeat: 0 }),
      { code: 'ERR_INVALID_OPTION', message: /"repeat"/ },
    );
  });

  it('compiles snippets with setup, and module exports', async () => {
    const snippet = await loadStatement('counter.n += 1', {
      setup: 'const counter = globalThis.__timeitCounter;',
    });
    const holder = { n: 0 };
    (globalThis as { __timeitCounter?: object }).__timeitCounter = holder;
    await snippet.subject.run(25);
    assert.equal(holder.n, 25);
    delete (globalThis as { __timeitCounter?: object }).__timeitCounter;
    const exported = await loadStatement('test/measure/fixtures/scale-tasks.ts#spin', { args: [10] });
    assert.ok((await exported.subject.run(3)) >= 0);
    await assert.rejects(loadStatement('test/measure/fixtures/scale-tasks.ts#nope'), {
      code: 'ERR_MEASURE_STATEMENT',
    });
    await assert.rejects(loadStatement('let let = ;'), { code: 'ERR_MEASURE_STATEMENT' });
  });

  it('prints JSON from the command handler', async () => {
    let text = '';
    const code = await runTimeitCommand({
      statement: 'Math.sqrt(x)',
      setup: 'let x = 2',
      number: 1000,
      repeat: 3,
      json: true,
      stdout: (chunk) => (text += chunk),
    });
    assert.equal(code, 0);
    const parsed = JSON.parse(text) as { samplesNs: number[]; environment: { v8: string } };
    assert.equal(parsed.samplesNs.length, 3);
    assert.equal(parsed.environment.v8, process.versions.v8);
    let errors = '';
    assert.equal(await runTimeitCommand({ statement: ')(', stderr: (chunk) => (errors += chunk) }), 2);
    assert.match(errors, /ERR_MEASURE_STATEMENT/);
  });
});
