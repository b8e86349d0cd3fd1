/**
 * Loads manycore's two optional native modules (built at install by native/build.mjs, for the
 * Node that runs it):
 *
 * - `manycore_shm` (Node-API): {@link ProcessMemory}'s mappings as ArrayBuffers, ≤ 4 GiB each;
 * - `manycore_shared_buffer` (V8 API, rebuilt per Node major): /dev/shm mappings as real
 *   SharedArrayBuffers and a kernel futex on them, which is what lets SharedArray, Lock, Queue…
 *   work across processes.
 *
 * Without them everything still runs, but nothing is shared between processes: one warning
 * (code MANYCORE_NO_SHARED_PROCESS_MEMORY) per process says so and names the fix. Setting
 * `MANYCORE_DISABLE_ADDON=1` in the environment makes both look missing (to test that path).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What `wait` returns, as `Atomics.wait` does. */
export type WaitOutcome = 'ok' | 'not-equal' | 'timed-out';

/** The Node-API module behind ProcessMemory (native/shm.cc). */
export interface ShmAddon {
  map(name: string, sizeBytes: number, create: boolean): ArrayBuffer[];
  unlink(name: string): boolean;
  wait(buffer: ArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): WaitOutcome;
  wake(buffer: ArrayBuffer, byteOffset: number, count: number): number;
}

/** The V8-API module behind process-shared SharedArrayBuffers (native/shared-buffer.cc). */
export interface SharedBufferAddon {
  map(name: string, sizeBytes: number, create: boolean): SharedArrayBuffer;
  /** The shared-memory name a buffer maps, or undefined for any other buffer. */
  describe(buffer: SharedArrayBuffer): string | undefined;
  wait(buffer: SharedArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): WaitOutcome;
  /** Calls back with the outcome, or with an errno text when the futex call failed. */
  waitAsync(
    buffer: SharedArrayBuffer,
    byteOffset: number,
    expected: number,
    timeoutMs: number,
    callback: (outcome: string) => void,
  ): void;
  wake(buffer: SharedArrayBuffer, byteOffset: number, count: number): number;
}

/** The warning's code, for `process.on('warning')` filters. */
const NO_ADDON_WARNING = 'MANYCORE_NO_SHARED_PROCESS_MEMORY';

const modules = new Map<string, unknown>();
let warned = false;

/**
 * Where a module is: native/abi-<ABI>/ when build.mjs built one for this Node's ABI, since a V8-API
 * module loads only in that ABI and node-gyp's build/Release holds just the latest build, for
 * whichever Node ran it (with `npm run test:node24`, Node 24's). src/shared and dist/shared both
 * sit two levels below the package root, next to native/.
 */
function locate(file: string): string {
  const forThisAbi = new URL(`../../native/abi-${process.versions.modules}/${file}.node`, import.meta.url);
  if (existsSync(forThisAbi)) return fileURLToPath(forThisAbi);
  return fileURLToPath(new URL(`../../native/build/Release/${file}.node`, import.meta.url));
}

/**
 * Loads a module (see {@link locate}), or returns null (warning once, unless `quietly`).
 * `quietly` is for probes that merely ask whether a buffer is process-shared.
 */
function load<T>(file: string, quietly: boolean): T | null {
  let loaded = modules.get(file) as T | null | undefined;
  if (loaded === undefined) {
    try {
      if (process.env['MANYCORE_DISABLE_ADDON'] === '1')
        throw new Error('disabled by MANYCORE_DISABLE_ADDON=1');
      loaded = createRequire(import.meta.url)(locate(file)) as T;
    } catch (error) {
      loaded = null;
      modules.set(`${file}:error`, error);
    }
    modules.set(file, loaded);
  }
  if (loaded === null && !quietly) warnOnce(modules.get(`${file}:error`));
  return loaded;
}

function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  process.emitWarning(
    `manycore's shared-memory addon is not available (${why}), so memory is copied to child ` +
      'processes instead of shared: their writes are not seen by other processes. Rebuild it with ' +
      '`node native/build.mjs`, run by the Node that runs manycore (needs g++, make and node-gyp; ' +
      'npm ci runs it).',
    { code: NO_ADDON_WARNING },
  );
}

/** True once the missing-addon warning was emitted in this process (other warnings defer to it). */
export function missingAddonWarned(): boolean {
  return warned;
}

/** The Node-API module, or null (then one warning). */
export function loadShmAddon(): ShmAddon | null {
  return load<ShmAddon>('manycore_shm', false);
}

/** The SharedArrayBuffer module, or null (then one warning unless `quietly`). */
export function loadSharedBufferAddon(quietly = false): SharedBufferAddon | null {
  return load<SharedBufferAddon>('manycore_shared_buffer', quietly);
}
