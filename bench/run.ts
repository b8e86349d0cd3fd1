/**
 * The side-by-side benchmark: manycore's thread pool against piscina, tinypool, workerpool and
 * poolifier on this machine (issue 2 §6). Prints every table and writes bench/RESULTS.md.
 *
 *   npm run bench                 full run (a few minutes)
 *   npm run bench -- --quick      smoke run: fewer tasks and repetitions
 *   npm run bench -- --only a,c   some workloads: a (with e), a', b, c, d
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CONTENDERS } from './contenders/index.ts';
import {
  BUSY_OTHER_CPU_SHARE,
  cpuSnapshot,
  describeEnvironment,
  loadAverageNow,
  otherCpuShare,
} from './environment.ts';
import { formatResults, formatSection, formatTargets } from './report.ts';
import { burst } from './workloads/burst.ts';
import { Notes, type RunContext, type Section, type Workload } from './workloads/common.ts';
import { divisors } from './workloads/divisors.ts';
import { largeArray } from './workloads/large-array.ts';
import { lazyMap } from './workloads/lazy-map.ts';
import { roundTrip } from './workloads/round-trip.ts';

const WORKLOADS: readonly Workload[] = [burst, lazyMap, roundTrip, divisors, largeArray];
const WORKERS = 2;

function selectWorkloads(only: string | undefined): readonly Workload[] {
  if (only === undefined) return WORKLOADS;
  // "e" is measured inside "a" (same child processes), so either name selects it.
  const wanted = new Set(only.split(',').map((id) => (id.trim() === 'e' ? 'a' : id.trim())));
  const unknown = [...wanted].filter((id) => !WORKLOADS.some((workload) => workload.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown workload ${unknown.join(', ')} (known: ${WORKLOADS.map((w) => w.id).join(', ')}, e)`,
    );
  }
  return WORKLOADS.filter((workload) => wanted.has(workload.id));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
    allowPositionals: false,
  });
  const quick = values.quick === true;
  const workloads = selectWorkloads(values.only);
  const environment = describeEnvironment();
  const notes = new Notes();
  const context: RunContext = {
    quick,
    workers: WORKERS,
    contenders: CONTENDERS,
    notes,
    log: (line) => process.stderr.write(`  ${line}\n`),
  };
  const started = performance.now();
  const sections: Section[] = [];
  for (const workload of workloads) {
    const load = loadAverageNow();
    const before = cpuSnapshot();
    const result = await workload.run(context);
    const after = cpuSnapshot();
    const share =
      before === undefined || after === undefined
        ? undefined
        : otherCpuShare(before, after, result.childCpuMs ?? 0);
    const section: Section = {
      ...result,
      loadAverage: load,
      ...(share !== undefined && { otherCpuShare: share, busy: share > BUSY_OTHER_CPU_SHARE }),
    };
    sections.push(section);
    console.log(`\n${formatSection(section)}`);
  }
  const noteLines = [...notes.lines(), `load average at the end (1/5/15 min): ${loadAverageNow()}`];
  console.log(`\n### Targets\n\n${formatTargets(sections)}\n`);
  console.log(`Notes:\n${noteLines.map((line) => `- ${line}`).join('\n')}`);

  const args = process.argv.slice(2).join(' ');
  const document = formatResults({
    environment,
    command: `npm run bench${args === '' ? '' : ` -- ${args}`}`,
    quick,
    durationS: (performance.now() - started) / 1000,
    sections,
    notes: noteLines,
  });
  const resultsUrl = new URL('./RESULTS.md', import.meta.url);
  await writeFile(resultsUrl, document);
  console.log(`\nWrote ${resultsUrl.pathname}`);
  // A pool whose close() timed out may still hold threads; they must not keep the run alive.
  process.exit(0);
}

await main();
