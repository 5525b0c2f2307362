// The hunks of one file's unified diff, read for where review notes can sit: a note belongs on a line
// of the modified side that the diff shows (changed, or context the reviewer saw). Pure: no vscode, no I/O.

/** One `@@ -a,b +c,d @@` hunk of a unified diff. */
export interface DiffHunk {
  oldStart: number;
  oldCount: number;
  /** First line of the hunk on the modified side (1-based). */
  newStart: number;
  /** Lines the hunk spans on the modified side (0 for a pure deletion). */
  newCount: number;
  /** The hunk as git printed it, header included. */
  text: string;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses the hunks of a unified diff of one file (file headers and "\ No newline" lines are kept in the hunk text or skipped). */
export function parseHunks(diff: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let current: { hunk: DiffHunk; lines: string[] } | null = null;
  const flush = (): void => {
    if (!current) return;
    current.hunk.text = current.lines.join('\n');
    hunks.push(current.hunk);
    current = null;
  };
  for (const line of diff.replace(/\r\n/g, '\n').split('\n')) {
    const m = HUNK_HEADER.exec(line);
    if (m) {
      flush();
      current = {
        hunk: {
          oldStart: Number(m[1]),
          oldCount: m[2] === undefined ? 1 : Number(m[2]),
          newStart: Number(m[3]),
          newCount: m[4] === undefined ? 1 : Number(m[4]),
          text: '',
        },
        lines: [line],
      };
      continue;
    }
    if (!current) continue;
    // A new file header ends the hunk (several files in one diff).
    if (line.startsWith('diff --git ')) {
      flush();
      continue;
    }
    if (line === '' || line[0] === ' ' || line[0] === '+' || line[0] === '-' || line[0] === '\\') current.lines.push(line);
  }
  flush();
  // A trailing empty line is the diff's final newline, not a context line.
  for (const h of hunks) h.text = h.text.replace(/\n+$/, '');
  return hunks;
}

/** The hunk whose modified-side lines include `line` (1-based), or null. */
export function hunkAtLine(hunks: readonly DiffHunk[], line: number): DiffHunk | null {
  if (!Number.isInteger(line) || line < 1) return null;
  return hunks.find((h) => h.newCount > 0 && line >= h.newStart && line < h.newStart + h.newCount) ?? null;
}

/** The modified-side line range of a hunk, for messages ("lines 4–10"). */
export function hunkLines(hunk: DiffHunk): { first: number; last: number } {
  const first = hunk.newStart;
  return { first, last: Math.max(first, hunk.newStart + hunk.newCount - 1) };
}
