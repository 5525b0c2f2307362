// goal_status.log: one human-readable line per event, appended in order, the file created on first use.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { StatusEvent, StatusLog } from '../engine/ports';
import { formatStatusLine, parseStatusLine } from '../engine/statusLine';

/** A StatusLog appending to a file at an absolute path. */
export class FileStatusLog implements StatusLog {
  // Appends are chained so events land in the order they were emitted, even when callers do not await.
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly filePath: string) {}

  append(event: StatusEvent): Promise<void> {
    const line = `${formatStatusLine(event)}\n`;
    const write = async (): Promise<void> => {
      await fs.mkdir(path.dirname(this.filePath), { recursive: true });
      await fs.appendFile(this.filePath, line, 'utf8');
    };
    const result = this.queue.then(write, write);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The last `maxLines` events of the file (unparseable lines skipped), oldest first; [] when it does not exist. */
  async tail(maxLines: number): Promise<StatusEvent[]> {
    await this.queue;
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
