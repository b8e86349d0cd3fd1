/**
 * The environment a measurement ran in, stored with every result: a number without its
 * runtime, CPU, flags and load cannot be compared with another one later.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Where and how a measurement ran. */
export interface Environment {
  /** ISO 8601 time the environment was captured. */
  readonly capturedAt: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  /** CPU model as the OS names it ("unknown" when not reported). */
  readonly cpuModel: string;
  /** Cores this process may use (`os.availableParallelism()`). */
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  /** Node flags of this process (`process.execArgv`) and `NODE_OPTIONS`, which change JIT and GC behaviour. */
  readonly execArgv: readonly string[];
  readonly nodeOptions: string;
  /** 1, 5 and 15 minute load averages when captured: a busy machine gives slower, noisier numbers. */
  readonly loadAverage: readonly [number, number, number];
  /** Whether a `gc()` function was reachable, so repeats could start from a collected heap. */
  readonly gcAvailable: boolean;
  /** True when /proc says this is a virtual machine or container guest (timings are noisier there). */
  readonly virtualized: boolean | 'unknown';
}

function detectVirtualization(): boolean | 'unknown' {
  try {
    // The "hypervisor" CPU flag is set by every mainstream hypervisor on x86.
    return /\bhypervisor\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return 'unknown';
  }
}

/**
 * Captures the current environment.
 *
 * @param gcAvailable whether the caller can run `gc()`; see {@link findGc}.
 * @example const env = captureEnvironment(); console.log(env.cpuModel, env.loadAverage);
 */
export function captureEnvironment(gcAvailable = findGc() !== undefined): Environment {
  const cpus = os.cpus();
  const [one, five, fifteen] = os.loadavg();
  return {
    capturedAt: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    execArgv: [...process.execArgv],
    nodeOptions: process.env['NODE_OPTIONS'] ?? '',
    loadAverage: [one ?? 0, five ?? 0, fifteen ?? 0],
    gcAvailable,
    virtualized: detectVirtualization(),
  };
}

/** One line for terminal reports: "Node v20.20.2 (V8 11.3), 2 × AMD EPYC …, load 0.52". */
export function describeEnvironment(env: Environment): string {
  const flags = [...env.execArgv, env.nodeOptions].filter((flag) => flag !== '').join(' ');
  return (
    `Node ${env.node} (V8 ${env.v8}), ${env.cpuCount} × ${env.cpuModel}, load ${env.loadAverage[0].toFixed(2)}` +
    (flags ? `, flags: ${flags}` : '') +
    (env.gcAvailable ? '' : ', no gc() between repeats')
  );
}

let cachedGc: (() => void) | null | undefined;

/**
 * A function that runs a full garbage collection, or undefined if none can be had.
 * `globalThis.gc` exists under `--expose-gc`; otherwise V8 is asked to expose it late
 * (`v8.setFlagsFromString('--expose-gc')` then a fresh `vm` context has `gc`). That second
 * way is not officially supported, so every failure falls back to "no GC".
 */
export function findGc(): (() => void) | undefined {
  if (cachedGc !== undefined) return cachedGc ?? undefined;
  cachedGc = null;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') {
    cachedGc = exposed as () => void;
    return cachedGc;
  }
  try {
    v8.setFlagsFromString('--expose-gc');
    const late: unknown = vm.runInNewContext('gc');
    if (typeof late === 'function') cachedGc = late as () => void;
  } catch {
    cachedGc = null;
  }
  return cachedGc ?? undefined;
}
