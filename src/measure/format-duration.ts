/** Human units for durations in reports. */

/**
 * A duration given in nanoseconds, with a unit chosen so that 3–4 significant digits show:
 * "812 ns", "12.4 µs", "3.21 ms", "1.05 s".
 */
export function formatNs(ns: number): string {
  const abs = Math.abs(ns);
  const [value, unit] =
    abs >= 1e9 ? [ns / 1e9, 's'] : abs >= 1e6 ? [ns / 1e6, 'ms'] : abs >= 1e3 ? [ns / 1e3, 'µs'] : [ns, 'ns'];
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Pads or truncates for aligned terminal columns. */
export function column(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}
