/**
 * After-each-test leak check: no manycore worker alive, no child process of ours left (zombie
 * or running), and no new libuv handle still open.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { liveWorkerCount } from '../../src/pool/live-workers.ts';

/**
 * Pids whose parent is this process, with their state letter (Z = zombie).
 *
 * Left out: exited esbuild services. On Node 20, tsx compiles TypeScript in each worker thread
 * through an esbuild child that the thread starts; when the thread ends, that child exits and
 * nobody is left to reap it (only the thread that spawned it would). That is tsx's artifact of
 * running .ts in threads (docs/threads-vs-processes.md), not a child manycore started; the
 * children manycore starts (process pools) are all checked.
 */
export function childProcesses(): { pid: number; state: string }[] {
  const children: { pid: number; state: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the ")" that closes the command name: state, ppid, …
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (Number(fields[1]) !== process.pid || (command === 'esbuild' && fields[0] === 'Z')) continue;
    children.push({ pid: Number(entry), state: fields[0] ?? '?' });
  }
  return children;
}

function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

export interface LeakSnapshot {
  readonly handles: Map<string, number>;
  /** Children that existed before the test (e.g. the esbuild service tsx keeps). */
  readonly children: Set<number>;
}

export function takeLeakSnapshot(): LeakSnapshot {
  return { handles: handleCounts(), children: new Set(childProcesses().map((child) => child.pid)) };
}

/** Fails if a worker, a child process, or a handle outlived the test. */
export function assertNoLeaks(before: LeakSnapshot): void {
  assert.equal(liveWorkerCount(), 0, 'a manycore worker outlived the test');
  const newChildren = childProcesses().filter((child) => !before.children.has(child.pid));
  assert.deepEqual(newChildren, [], 'a child process (or zombie) outlived the test');
  const after = handleCounts();
  const grown: string[] = [];
  for (const [name, count] of after) {
    // Timers belong to node:test itself; a leaked pool shows as a worker or process above.
    if (name === 'Timeout' || name === 'Immediate' || name === 'TTYWrap' || name === 'FSReqCallback')
      continue;
    if (count > (before.handles.get(name) ?? 0))
      grown.push(`${name} ×${count - (before.handles.get(name) ?? 0)}`);
  }
  assert.deepEqual(grown, [], 'handles outlived the test');
}

/**
 * Installs the after-each leak check for the enclosing suite (or file). `cleanUp` runs first:
 * suites that start raw worker threads, which this check cannot see, terminate them there.
 */
export function checkLeaksAfterEach(cleanUp?: () => Promise<void>): void {
  let before: LeakSnapshot;
  beforeEach(() => {
    before = takeLeakSnapshot();
  });
  afterEach(async () => {
    await cleanUp?.();
    assertNoLeaks(before);
  });
}
