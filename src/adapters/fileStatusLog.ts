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
