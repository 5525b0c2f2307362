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
  // A file saved with CRLF (an editor, a checkout) still gives lines that match the announced ones.
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-max);
}

/** The goal id of a goal_status.log line (`time  goal  phase  message`), or null. */
export function goalIdOfLine(line: string): string | null {
  const m = /^\S+\s{2}(\S+)\s{2}/.exec(line);
  return m ? m[1] : null;
}

/**
 * The tail to show: `fileTail` (the file's lines of `goalId`, oldest first) followed by the announced lines of that
 * goal the file lacks. The file is appended in the order lines are announced (one writer per folder, its appends
 * queued), so the lacking lines are the ones announced after the last one the tail holds: all of them when it holds
 * none (a new status log path, a file someone emptied). No time field is trusted: the clock can step back, and
 * anyone can write the file.
 */
export function mergeTail(fileTail: readonly string[], goalId: string, announced: readonly string[], limit: number): string[] {
  const held = new Set(fileTail);
  const mine = announced.filter((l) => goalIdOfLine(l) === goalId);
  let after = mine.length;
  while (after > 0 && !held.has(mine[after - 1])) after--;
  return [...fileTail, ...mine.slice(after).filter((l) => !held.has(l))].slice(-limit);
}

/** A `log` message for the webview: lines to append, or (reset) the whole tail of a card. */
export interface LogBatch {
  folder: string;
  reset: boolean;
  lines: string[];
}

export interface ActivityFeedOptions {
  /** Lines announced within this window go out as one batch. */
  flushMs: number;
  /** The most lines a card shows (and the most remembered per folder). */
  limit: number;
  /** True while a webview listens: lines are only batched then, and always remembered. */
  listening: () => boolean;
}

/**
 * The panel's status lines, from announcement to webview: batches of new lines, and the tail a card gets when it
 * appears, which carries what the file lacks yet (mergeTail). Pure but for reading the status log.
 */
export class ActivityFeed {
  private readonly waiting = new Map<string, string[]>();
  /** The last lines announced per folder, sent or not: a tail read later may lack them. */
  private readonly announced = new Map<string, string[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (batch: LogBatch) => void,
    private readonly options: ActivityFeedOptions,
  ) {}

  /** A line the engine announced, just before it appends it to the folder's status log. */
  announce(folder: string, line: string): void {
    // Remembered even while no webview listens: the tail sent at its `ready` may need it.
    this.announced.set(folder, [...(this.announced.get(folder) ?? []), line].slice(-this.options.limit));
    if (!this.options.listening()) return;
    this.waiting.set(folder, [...(this.waiting.get(folder) ?? []), line].slice(-this.options.limit));
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.options.flushMs);
  }

  /**
   * The whole tail for a card of `folder` showing `goalId`, read from `logFile` now. It replaces what the card had,
   * so the folder's waiting lines go with it (those of this goal) or are dropped (another goal's).
   */
  tail(folder: string, logFile: string, goalId: string): LogBatch {
    const limit = this.options.limit;
    const fileTail = readTail(logFile, limit * 4).filter((l) => goalIdOfLine(l) === goalId).slice(-limit);
    this.waiting.delete(folder);
    return { folder, reset: true, lines: mergeTail(fileTail, goalId, this.announced.get(folder) ?? [], limit) };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    const batches = [...this.waiting.entries()];
    this.waiting.clear();
    for (const [folder, lines] of batches) this.send({ folder, reset: false, lines });
  }
}
