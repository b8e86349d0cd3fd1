/**
 * The life of /dev/shm segments: names, who owns them, and removing them.
 *
 * A segment is named `/manycore-<pid>-<uuid>` after the process that created it (its owner).
 * The name is what another process opens; the memory itself lives until the name is gone and
 * every process has unmapped it (the kernel's rule), so removing the name early is safe for
 * everyone who already mapped it. Names are removed:
 * - when the owner releases the segment (`release()`, `using`, `releaseProcessMemory`);
 * - when the owner exits normally (an 'exit' hook);
 * - when the owner died without that hook (SIGKILL, a crash): a ProcessPool removes a child's
 *   names as soon as it sees the child gone, and every process sweeps the names of dead owners
 *   the first time it creates a segment.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, unlinkSync } from 'node:fs';

/** Where Linux keeps POSIX shared memory objects (shm_open's namespace). */
const SHM_DIR = '/dev/shm';
const NAME_PATTERN = /^manycore-(\d+)-[0-9a-f-]+$/;

/** Names this process created and has not released; removed at exit. */
const owned = new Set<string>();
/** Names released here: sending them to another process would fail there, so we refuse early. */
const released = new Set<string>();
let exitHookInstalled = false;
let swept = false;

/** A fresh segment name owned by this process. */
export function newSegmentName(): string {
  return `/manycore-${process.pid}-${randomUUID()}`;
}

/** Records that this process created `name`: it is removed when released or at exit. */
export function trackOwnedSegment(name: string): void {
  if (!swept) {
    swept = true;
    sweepDeadOwners();
  }
  owned.add(name);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', releaseAllOwned);
  }
}

/** Removes the name (idempotent); the memory stays mapped wherever it already is. */
export function releaseSegment(name: string): void {
  owned.delete(name);
  released.add(name);
  removeName(name);
}

/**
 * Removes a name this process created for its own bookkeeping and never sent as shared memory
 * (idempotent). Unlike {@link releaseSegment} it remembers nothing, so creating and removing
 * many such names costs no memory.
 */
export function removeOwnedSegment(name: string): void {
  owned.delete(name);
  removeName(name);
}

/** True if `name` was released by this process. */
export function isReleasedSegment(name: string): boolean {
  return released.has(name);
}

/** True while a segment of that name exists under /dev/shm (its owner has not removed it). */
export function segmentExists(name: string): boolean {
  return existsSync(SHM_DIR + name);
}

/** Names under /dev/shm created by process `pid` (all manycore names when pid is undefined). */
export function segmentNames(pid?: number): string[] {
  let entries: string[];
  try {
    entries = readdirSync(SHM_DIR);
  } catch {
    return []; // no /dev/shm (not Linux): nothing was created there either
  }
  return entries
    .filter((entry) => {
      const match = NAME_PATTERN.exec(entry);
      return match !== null && (pid === undefined || Number(match[1]) === pid);
    })
    .map((entry) => `/${entry}`);
}

/**
 * Removes every segment process `pid` created: call it once that process is known to be dead
 * (a ProcessPool does, for each child it loses).
 */
export function releaseSegmentsOf(pid: number): void {
  for (const name of segmentNames(pid)) removeName(name);
}

/**
 * Best effort: removes the segments of owners that no longer run (killed before their exit
 * hook). A pid reused by an unrelated process keeps its predecessor's names until that one exits.
 */
function sweepDeadOwners(): void {
  for (const name of segmentNames()) {
    const pid = Number(NAME_PATTERN.exec(name.slice(1))?.[1]);
    if (pid !== process.pid && !isAlive(pid)) removeName(name);
  }
}

function releaseAllOwned(): void {
  for (const name of owned) removeName(name);
  owned.clear();
}

function removeName(name: string): void {
  try {
    // shm_unlink(name) on Linux is unlink("/dev/shm" + name); no addon needed.
    unlinkSync(SHM_DIR + name);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
