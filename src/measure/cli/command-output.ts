/** Shared plumbing of the measure commands: where output goes, and writing files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Output sink of a command; tests pass their own to capture text. Default: process.stdout/stderr. */
export interface CommandIo {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** Resolved writers. */
export function writers(io: CommandIo): { out: (text: string) => void; err: (text: string) => void } {
  return {
    out: io.stdout ?? ((text) => void process.stdout.write(text)),
    err: io.stderr ?? ((text) => void process.stderr.write(text)),
  };
}

/** Writes a file, creating its directory. */
export function writeOutputFile(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Parses "1,2,4" into numbers. */
export function parseNumberList(text: string): number[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
}

/** Prints a ManycoreError (or any error) as one line and returns exit code 2 (usage/setup failure). */
export function reportError(error: unknown, err: (text: string) => void): number {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  err(`error${typeof code === 'string' ? ` ${code}` : ''}: ${message}\n`);
  return 2;
}
