/**
 * The process backend's small pure parts: which Node flags a child gets, and how its death is
 * described to the user (the `reason` of WorkerExitedError and WorkerStartError).
 */

/** How much of a child's stderr is kept to recognise its cause of death; V8's OOM report is short. */
const STDERR_TAIL_CHARS = 8192;

/** The last STDERR_TAIL_CHARS characters a child wrote to stderr. */
export class StderrTail {
  #text = '';

  get text(): string {
    return this.#text;
  }

  append(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-STDERR_TAIL_CHARS);
  }
}

/**
 * Node flags of a child: the given ones (default: the parent's), tsx's loader when the pool runs
 * from TypeScript source, and the heap limit. From source, any tsx loader flag in the list is
 * replaced by tsx's absolute URL: a bare `--import tsx` resolves against the child's cwd, where
 * tsx may not be installed.
 */
export function childExecArgv(
  execArgv: readonly string[] | undefined,
  fromSource: boolean,
  maxMemoryMb: number | undefined,
): string[] {
  const args = withoutFlags([...(execArgv ?? process.execArgv)]);
  if (fromSource) args.push('--import', import.meta.resolve('tsx/esm'));
  if (maxMemoryMb !== undefined) args.push(`--max-old-space-size=${maxMemoryMb}`);
  return args;

  function withoutFlags(list: string[]): string[] {
    const kept: string[] = [];
    for (let index = 0; index < list.length; index += 1) {
      const arg = list[index] as string;
      const next = list[index + 1] ?? '';
      if (fromSource && LOADER_FLAG.test(arg) && next.includes('tsx')) index += 1;
      else if (fromSource && LOADER_FLAG_INLINE.test(arg) && arg.includes('tsx')) continue;
      // The parent's own script flags (node -e/-p, node --test) would make the child run them.
      else if (SCRIPT_FLAG_WITH_VALUE.test(arg)) index += 1;
      else if (!SCRIPT_FLAG.test(arg)) kept.push(arg);
    }
    return kept;
  }
}

const LOADER_FLAG = /^--(?:import|loader|experimental-loader)$/;
const LOADER_FLAG_INLINE = /^--(?:import|loader|experimental-loader)=/;
const SCRIPT_FLAG_WITH_VALUE = /^(?:-e|--eval|-p|--print)$/;
const SCRIPT_FLAG = /^(?:--(?:eval|print)=|--test(?:$|-)|--watch(?:$|-))/;

export interface ProcessExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
  readonly uncaught: Error | undefined;
  /** Set when the pool itself killed the child because it could not be set up (cpuAffinity). */
  readonly startFailure: string | undefined;
  readonly maxMemoryMb: number | undefined;
  /** The child died before it said "ready": its stderr is the only clue (a bad flag, a loader). */
  readonly beforeReady: boolean;
}

/** A one-line cause of death: "out of memory (maxMemoryMb=64)", "signal SIGKILL", "exit code 3"… */
export function describeProcessExit(exit: ProcessExit): string {
  if (exit.startFailure !== undefined) return exit.startFailure;
  // V8 prints "… JavaScript heap out of memory" then aborts (SIGABRT); the text is the sure sign.
  if (exit.stderrTail.includes('heap out of memory')) {
    return exit.maxMemoryMb === undefined
      ? 'out of memory (the default V8 heap limit; set maxMemoryMb to choose it)'
      : `out of memory (maxMemoryMb=${exit.maxMemoryMb})`;
  }
  if (exit.uncaught !== undefined) return `uncaught ${exit.uncaught.name}: ${exit.uncaught.message}`;
  const cause = exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.exitCode ?? 'unknown'}`;
  const clue = exit.beforeReady ? firstErrorLine(exit.stderrTail) : undefined;
  return clue === undefined ? cause : `${cause}; stderr: ${clue}`;
}

function firstErrorLine(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim());
  return lines.find((line) => /^(?:\w*Error\b|node: )/.test(line)) ?? lines.find((line) => line.length > 0);
}
