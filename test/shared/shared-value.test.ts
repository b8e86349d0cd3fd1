import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedValue } from '../../src/shared/shared-value.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runScenario, terminateAll } from './fixtures/run-worker.ts';

checkLeaksAfterEach(terminateAll);

describe('SharedValue', () => {
  it('is put once and read by workers through its small handle', async () => {
    const value = { name: 'model', items: Array.from({ length: 1000 }, (_, i) => i * 2) };
    const shared = SharedValue.put(value);
    assert.deepEqual(await runScenario('readValue', shared), value);
    assert.deepEqual(await runScenario('readValue', shared.toHandle()), value);
    assert.equal(shared.get(), shared.get(), 'deserialized once per thread');
    assert.ok(shared.byteLength > 1000);
  });

  it('after release, every thread gets ERR_SHARED_RELEASED and the bytes are let go', async () => {
    const shared = SharedValue.put({ name: 'x', items: [1] });
    const handle = structuredClone(shared);
    shared.release();
    shared.release();
    assert.equal(shared.released, true);
    assert.equal(shared.byteLength, 0, 'the live object no longer references the bytes');
    assert.throws(() => shared.get(), { code: 'ERR_SHARED_RELEASED' });
    await assert.rejects(runScenario('readValue', handle), { code: 'ERR_SHARED_RELEASED' });
  });

  it('refuses values that cannot be serialized', () => {
    assert.throws(() => SharedValue.put({ f: () => 1 }), { code: 'ERR_ARGUMENT_NOT_CLONEABLE' });
    assert.throws(() => SharedValue.put(new SharedArrayBuffer(8)), { code: 'ERR_ARGUMENT_NOT_CLONEABLE' });
  });
});
