/**
 * Measurement tools: time (`timeit`), compare (`compare`), profile (`profile`,
 * `profileScript`) and scale (`scale`, `scaleTask`). Engines return plain data; the
 * `format*` functions render it for terminals, the writers for files.
 */
export * from './errors.ts';
export * from './statistics.ts';
export { captureEnvironment, describeEnvironment, findGc, type Environment } from './environment.ts';
export {
  startCpuLoadProbe,
  cpuLoadWarning,
  type CpuLoadProbe,
  type CpuLoadReport,
} from './cpu-load-probe.ts';
export { subjectFromFunction, type TimedSubject } from './timed-subject.ts';
export {
  timeit,
  timeSubject,
  resolveTimingOptions,
  type TimeitOptions,
  type TimeitResult,
} from './timeit.ts';
export { loadStatement, type LoadedStatement, type LoadStatementOptions } from './statement.ts';
export {
  compare,
  compareSubjects,
  judgeComparison,
  type CandidateResult,
  type CompareOptions,
  type CompareResult,
  type Comparison,
  type JudgeOptions,
  type NamedSubject,
} from './compare.ts';
export { formatNs } from './format-duration.ts';
export { formatTimeitResult } from './format-timeit.ts';
export { formatCompareResult } from './format-compare.ts';
export { amdahlSpeedup, fitAmdahl, karpFlatt, type AmdahlFit, type TimingPoint } from './amdahl.ts';
export {
  scale,
  analyseScaling,
  type ScaleOptions,
  type ScalePoint,
  type ScaleReport,
  type ScaleRunResult,
  type WorkerBusy,
} from './scale.ts';
export { scaleTask, type ScaleTaskOptions } from './scale-task.ts';
export { formatScaleReport } from './format-scale.ts';
export { scaleChartSvg, type ScaleChartOptions } from './svg-chart.ts';
export type {
  CallFrame,
  CpuProfile,
  CpuProfileNode,
  FunctionCallCount,
  ProfileSet,
  ThreadProfile,
} from './profile/cpu-profile.ts';
export { profile, type ProfileOptions, type ProfileResult } from './profile/profile.ts';
export {
  profileScript,
  type ProfileScriptOptions,
  type ProfileScriptResult,
} from './profile/profile-script.ts';
export {
  profileTables,
  type FunctionStats,
  type ProfileTableOptions,
  type ThreadTable,
} from './profile/profile-table.ts';
export { formatProfileTable } from './profile/format-profile-table.ts';
export { toSpeedscope, type SpeedscopeFile } from './profile/speedscope.ts';
export { flameGraphHtml, flameGraphSvg } from './profile/flame-graph.ts';
export {
  loadProfile,
  mergeProfiles,
  saveProfile,
  writeProfileOutputs,
  type ProfileOutputs,
} from './profile/profile-file.ts';
