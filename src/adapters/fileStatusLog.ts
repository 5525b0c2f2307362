// goal_status.log: one human-readable line per event, appended in order, the file created on first use.
import * as fs from 'node:fs/promises';
import type { StatusEvent, StatusLog } from '../engine/ports';
import { formatStatusLine, parseStatusLine } from '../engine/statusLine';
import { LineAppender } from './lineAppender';

/** A StatusLog appending to a file at an absolute path. */
export class FileStatusLog implements StatusLog {
  // Appends are chained so events land in the order they were emitted, even when callers do not await.
  private readonly lines: LineAppender;

  constructor(readonly filePath: string) {
    this.lines = new LineAppender(filePath);
  }

  append(event: StatusEvent): Promise<void> {
    return this.lines.append(formatStatusLine(event));
  }

  /** The last `maxLines` events of the file (unparseable lines skipped), oldest first; [] when it does not exist. */
  async tail(maxLines: number): Promise<StatusEvent[]> {
    await this.lines.settled();
    let text: string;
    try {
      text = await fs.readFile(this.filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const events: StatusEvent[] = [];
    for (const line of text.split('\n')) {
      const event = parseStatusLine(line);
      if (event) events.push(event);
    }
    return maxLines <= 0 ? [] : events.slice(-maxLines);
  }
}

/**
 * A StatusLog whose file is asked for at every event (the statusLogPath setting, live): a changed path
 * takes the next event. `onNewFile` runs before the first line of each file is written (the composition
 * root keeps the file out of git with it, so a log moved mid-goal is never committed with the agent's
 * work); events keep their order across it.
 */
export class LiveStatusLog implements StatusLog {
  private current: { file: string; log: FileStatusLog; ready: Promise<void> } | null = null;

  constructor(
    private readonly filePath: () => string,
    private readonly onNewFile: (file: string) => Promise<void> = async () => undefined,
  ) {}

  append(event: StatusEvent): Promise<void> {
    const file = this.filePath();
    if (this.current?.file !== file) {
      // A failure to prepare (not a repository yet) must not lose the line.
      this.current = { file, log: new FileStatusLog(file), ready: this.onNewFile(file).catch(() => undefined) };
    }
    const { log, ready } = this.current;
    return ready.then(() => log.append(event));
  }
}
