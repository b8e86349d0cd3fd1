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
 * from TypeScript source and the flags do not load tsx already, and the heap limit.
 */
export function childExecArgv(
  execArgv: readonly string[] | undefined,
  fromSource: boolean,
  maxMemoryMb: number | undefined,
): string[] {
  const args = [...(execArgv ?? process.execArgv)];
  if (fromSource && !loadsTsx(args)) args.push('--import', import.meta.resolve('tsx/esm'));
  if (maxMemoryMb !== undefined) args.push(`--max-old-space-size=${maxMemoryMb}`);
  return args;
}

function loadsTsx(args: readonly string[]): boolean {
  return args.some((arg, index) => {
    if (!arg.includes('tsx')) return false;
    if (/^--(?:import|loader|experimental-loader)=/.test(arg)) return true;
    return /^--(?:import|loader|experimental-loader)$/.test(args[index - 1] ?? '');
  });
}

export interface ProcessExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
  readonly uncaught: Error | undefined;
  /** Set when the pool itself killed the child because it could not be set up (cpuAffinity). */
  readonly startFailure: string | undefined;
  readonly maxMemoryMb: number | undefined;
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
  if (exit.signal !== null) return `signal ${exit.signal}`;
  return `exit code ${exit.exitCode ?? 'unknown'}`;
}
