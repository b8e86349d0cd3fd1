// Types of kernels.mjs, so `tasksOf<typeof import('./kernels.mjs')>` is checked in strict TS.
export interface DivisorQuery {
  /** The SharedArrayBuffer behind an Int32Array of the values. */
  readonly shared: SharedArrayBuffer;
  /** Count only elements x <= limit. */
  readonly limit: number;
}
export declare function inc(value: number): number;
export declare function divisorSum(query: DivisorQuery): number;
export declare function sumDivisorCounts(values: Int32Array, limit: number): number;
export declare function countDivisors(x: number): number;
export declare function sum(array: Float64Array): number;
