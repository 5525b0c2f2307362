// How a benchmark hands its figures to scripts/bench.mjs: human-readable lines on stdout as it goes, and
// one machine-readable line at the end (the marker, then JSON) that bench.mjs turns into BENCHMARKS.md.

/** The line prefix bench.mjs looks for. */
export const RESULT_MARKER = '##BENCH_RESULT## ';

/** One target a benchmark checks, with the figure measured and whether it is met (null: not applicable). */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

/** What one benchmark reports. */
export interface BenchResult {
  /** File name without extension, e.g. `contextGrowth`. */
  name: string;
  title: string;
  targets: TargetCheck[];
  /** Markdown of the figures (tables, findings) for BENCHMARKS.md. */
  markdown: string;
}

/** A Markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Prints the result line for bench.mjs (after the human-readable output). */
export function emitResult(result: BenchResult): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

/** Runs `main`, reporting a crash with its stack and a non-zero exit code. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  });
}
