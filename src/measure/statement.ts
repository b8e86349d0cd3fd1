/**
 * Turns a CLI statement into a timed subject: either a JavaScript snippet (compiled into the
 * timing loop itself, as Python's timeit does, so no call overhead is added) or a module
 * export written `path/to/module.ts#name`.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TypeScriptLoaderError } from '../errors.ts';
import { StatementError } from './errors.ts';
import {
  AsyncFunction,
  consumeSink,
  subjectFromFunction,
  type Sink,
  type TimedSubject,
} from './timed-subject.ts';

/** A statement ready to be timed. */
export interface LoadedStatement {
  /** The label used in reports: the snippet, or `module#name`. */
  readonly name: string;
  readonly subject: TimedSubject;
}

/** Options of {@link loadStatement}. */
export interface LoadStatementOptions {
  /** A snippet run before each repeat (untimed); its variables are visible to a snippet statement. */
  readonly setup?: string;
  /** Arguments passed to a module export on each call. Default none. */
  readonly args?: readonly unknown[];
  /** Directory relative module paths resolve against. Default `process.cwd()`. */
  readonly cwd?: string;
}

const MODULE_STATEMENT = /^(?<path>[^\s#]+\.(?:[cm]?[jt]s|tsx|jsx))#(?<name>[\w$]+)$/;

type CompiledLoop = (iterations: number, sink: Sink, clock: () => bigint) => number | Promise<number>;

function compileSnippet(statement: string, setup: string): CompiledLoop {
  const isAsync = /\bawait\b/.test(statement) || /\bawait\b/.test(setup);
  const Factory = isAsync ? AsyncFunction : Function;
  // Prefer an expression so that its value lands in the sink; fall back to a block for
  // statements (`let x = …; x++`), whose effects the user must keep observable.
  const bodies = [`sink.value = (${statement});`, `{\n${statement}\n}`];
  let lastError: unknown;
  for (const body of bodies) {
    try {
      return new Factory(
        'iterations',
        'sink',
        'clock',
        `${setup}\nconst start = clock();\nfor (let i = 0; i < iterations; i++) {\n${body}\n}\nreturn Number(clock() - start);`,
      ) as CompiledLoop;
    } catch (error) {
      lastError = error;
    }
  }
  throw new StatementError(statement, `it does not compile (${String(lastError)})`, { cause: lastError });
}

async function importModule(path: string, cwd: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(isAbsolute(path) ? path : resolve(cwd, path)).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[cm]?tsx?$/.test(path)) {
      throw new StatementError(`${path}`, 'the module failed to load', { cause: error });
    }
  }
  // A .ts module without a TypeScript loader: register tsx (an optional peer dependency) and retry.
  try {
    const specifier: string = 'tsx/esm/api'; // a variable: tsx is optional, so TypeScript must not resolve it
    const api = (await import(specifier)) as { register: () => unknown };
    api.register();
  } catch (cause) {
    throw new TypeScriptLoaderError(url, { cause });
  }
  return (await import(url)) as Record<string, unknown>;
}

/**
 * Loads a statement for timing.
 *
 * @example await loadStatement('[3, 1, 2].sort()')
 * @example await loadStatement('src/demo/divisor-tasks.ts#countDivisorsUpTo', { args: [10_000] })
 * @throws StatementError when the snippet does not compile or the export is not a function.
 */
export async function loadStatement(
  statement: string,
  options: LoadStatementOptions = {},
): Promise<LoadedStatement> {
  const match = MODULE_STATEMENT.exec(statement.trim());
  if (match?.groups) {
    const { path = '', name = '' } = match.groups;
    const namespace = await importModule(path, options.cwd ?? process.cwd());
    const exported = namespace[name];
    if (typeof exported !== 'function') {
      const functions = Object.keys(namespace).filter((key) => typeof namespace[key] === 'function');
      throw new StatementError(
        statement,
        `the module has no exported function "${name}" (its function exports: ${functions.join(', ') || 'none'})`,
      );
    }
    const args = options.args ?? [];
    const fn = exported as (...callArgs: readonly unknown[]) => unknown;
    return { name: statement, subject: subjectFromFunction(() => fn(...args)) };
  }
  return { name: statement, subject: snippetSubject(statement, options.setup ?? '') };
}

function snippetSubject(statement: string, setup: string): TimedSubject {
  const loop = compileSnippet(statement, setup);
  const clock = (): bigint => process.hrtime.bigint();
  return {
    async run(iterations: number): Promise<number> {
      const sink: Sink = { value: undefined };
      const elapsed = await loop(iterations, sink, clock);
      consumeSink(sink);
      return elapsed;
    },
    emptyTwin: () => snippetSubject('undefined', setup),
  };
}
