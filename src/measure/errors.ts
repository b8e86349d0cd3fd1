/**
 * Errors of the measurement tools (`timeit`, `compare`, `profile`, `scale`). Each has a stable
 * `code`; docs/errors.md lists them.
 */
import { ManycoreError } from '../errors.ts';

/** A statement given to `timeit`/`compare` (a snippet or `module#export`) could not be turned into a function. */
export class StatementError extends ManycoreError {
  constructor(statement: string, reason: string, options?: { cause?: unknown }) {
    super(
      'ERR_MEASURE_STATEMENT',
      `Cannot measure ${JSON.stringify(statement)}: ${reason}. Pass a JavaScript snippet (e.g. "Math.sqrt(2)") ` +
        'or a module export as path/to/module.ts#exportName.',
      options,
    );
  }
}

/** Measured samples are unusable for statistics (empty, not finite, too few for a test). */
export class SampleError extends ManycoreError {
  constructor(what: string, expected: string, received: string) {
    super(
      'ERR_MEASURE_SAMPLES',
      `${what} needs ${expected}; received ${received}. Measure more repeats, or check that the timed ` +
        'function returns normally.',
    );
  }
}

/** The inspector could not profile (already in use by another session, worker attach failed…). */
export class ProfilerError extends ManycoreError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      'ERR_PROFILER',
      `The CPU profiler failed: ${reason}. Only one profile() may run at a time in a process; close other ` +
        'inspector sessions (a debugger, --cpu-prof) and try again.',
      options,
    );
  }
}

/** A file given to the profile loader is not a profile manycore can read. */
export class ProfileFormatError extends ManycoreError {
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(
      'ERR_PROFILE_FORMAT',
      `${file} is not a profile manycore can read (${reason}). Pass a file written by \`manycore profile\` ` +
        '(*.manycore-profile.json) or a Chrome DevTools *.cpuprofile.',
      options,
    );
  }
}

/** The profiled program exited with a failure, or wrote no profile. */
export class ProfiledProgramError extends ManycoreError {
  constructor(script: string, reason: string) {
    super(
      'ERR_PROFILED_PROGRAM',
      `Profiling ${script} failed: ${reason}. Run the script on its own first; a process killed by a signal ` +
        'writes no profile.',
    );
  }
}

/** A scaling run could not produce a report (too few points to fit, a run failed). */
export class ScaleError extends ManycoreError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('ERR_SCALE', `The scaling run failed: ${reason}.`, options);
  }
}
