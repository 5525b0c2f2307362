// The activity tail a panel card shows (F13): goal_status.log's last lines of the card's goal, plus the lines the
// engine announced that the file does not hold yet. Pure, so the panel's races are tested without a webview.
//
// The engine announces a line just before appending it, and the panel sends announced lines in 100 ms batches.
// When a card appears (a new goal, a reload) the panel sends the file's tail instead, which replaces what the card
// had: a line announced but not yet in the file would be lost if it were not added here, whether it was still
// waiting or already sent to a card the new state replaced.
import * as fs from 'node:fs';

/** The last `max` lines of a text file ('' lines dropped); [] when it does not exist. */
export function readTail(file: string, max: number): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.trim() !== '').slice(-max);
}

/** The goal id of a goal_status.log line (`time  goal  phase  message`), or null. */
export function goalIdOfLine(line: string): string | null {
  const m = /^\S+\s{2}(\S+)\s{2}/.exec(line);
  return m ? m[1] : null;
}

/** A line's time field (ISO 8601 UTC, so it sorts as text). */
function timeOf(line: string): string {
  return /^\S+/.exec(line)?.[0] ?? '';
}

/**
 * The tail to show: `fileTail` (the file's lines of `goalId`, oldest first) with each announced line of that goal it
 * lacks put in its place by time, the last `limit` kept. An announced line older than the whole tail is not missing:
 * it scrolled out of the window, and putting it back would show it out of order.
 */
export function mergeTail(fileTail: readonly string[], goalId: string, announced: readonly string[], limit: number): string[] {
  const out = [...fileTail];
  const held = new Set(fileTail);
  const oldest = fileTail.length > 0 ? timeOf(fileTail[0]) : '';
  for (const line of announced) {
    if (held.has(line) || goalIdOfLine(line) !== goalId || timeOf(line) < oldest) continue;
    held.add(line);
    // After the last line that is not newer: a batch of missing lines keeps its own order.
    let at = out.length;
    while (at > 0 && timeOf(out[at - 1]) > timeOf(line)) at--;
    out.splice(at, 0, line);
  }
  return out.slice(-limit);
}

/** The last `limit` lines announced per folder: what a tail sent later may still lack. */
export class AnnouncedLines {
  private readonly byFolder = new Map<string, string[]>();

  constructor(private readonly limit: number) {}

  add(folder: string, line: string): void {
    const lines = this.byFolder.get(folder) ?? [];
    lines.push(line);
    if (lines.length > this.limit) lines.splice(0, lines.length - this.limit);
    this.byFolder.set(folder, lines);
  }

  of(folder: string): readonly string[] {
    return this.byFolder.get(folder) ?? [];
  }

  clear(): void {
    this.byFolder.clear();
  }
}
