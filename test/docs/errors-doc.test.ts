/** docs/errors.md must list every error code that the source can produce. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Node's own codes that manycore reads (to explain a failure) but never produces. */
const NODE_CODES = new Set([
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_WORKER_OUT_OF_MEMORY',
  'ERR_MODULE_NOT_FOUND',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('docs/errors.md lists every ERR_ code used in src/', () => {
  const documented = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  const used = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/'(ERR_[A-Z0-9_]+)'/g)) {
      if (match[1] !== undefined && !NODE_CODES.has(match[1])) used.add(match[1]);
    }
  }
  assert.ok(used.size >= 10, `expected to find the error codes in src/, found ${used.size}`);
  const missing = [...used].filter((code) => !documented.includes(`\`${code}\``));
  assert.deepEqual(missing, [], 'codes used in src/ but missing from docs/errors.md');
});
