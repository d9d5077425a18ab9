/** Milliseconds to one decimal, as the JSON lines print them. */
export const round = (ms: number) => Math.round(ms * 10) / 10;

/** The nearest-rank percentile of a sample. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
