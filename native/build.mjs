// Builds manycore's optional shared-memory addon at install time. Never fails the install:
// without the addon, process pools still work and shared memory falls back to copies (with
// one warning at run time).
//
// node-gyp downloads Node's headers unless told where they are; a distribution's Node (Debian's
// /usr/bin/node) ships them in <prefix>/include/node, so point node-gyp there when they exist:
// the build then works offline.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const prefix = dirname(dirname(process.execPath));
const args = ['rebuild', `--directory=${here}`];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
// Under `npm ci` npm puts its bundled node-gyp on PATH; run by hand, fall back to npm's copy.
const bundled = join(
  dirname(process.execPath),
  '..',
  'lib',
  'node_modules',
  'npm',
  'node_modules',
  'node-gyp',
  'bin',
  'node-gyp.js',
);
let result = spawnSync('node-gyp', args, { stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error !== undefined && existsSync(bundled)) {
  result = spawnSync(process.execPath, [bundled, ...args], { stdio: 'inherit' });
}
if (result.status !== 0) {
  console.warn(
    'manycore: the shared-memory addon did not build; ProcessMemory will copy instead of sharing.',
  );
}
