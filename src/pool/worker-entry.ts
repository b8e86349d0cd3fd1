/**
 * Where a worker's entry file is, and how to start it. Built code (dist/) starts the `.js`
 * file directly. Source code (tests, `tsx` users of the repo) starts the `.ts` file through a
 * small bootstrap that registers tsx in the new thread first: Node 20 does not pass the
 * parent's loader hooks to workers.
 */
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  /** A file path, or bootstrap code when `eval` is true. */
  readonly script: string;
  readonly eval: boolean;
  /** The entry's file URL. */
  readonly url: string;
}

export function workerEntry(basename: string): WorkerEntry {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`../worker/${basename}${fromSource ? '.ts' : '.js'}`, import.meta.url).href;
  if (!fromSource) return { script: fileURLToPath(url), eval: false, url };
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const script =
    `globalThis[Symbol.for('manycore.tsxRegistered')] = true;` +
    `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(url)}); });`;
  return { script, eval: true, url };
}
