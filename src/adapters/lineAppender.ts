// Appends lines to a file, one write at a time and in call order (a failed write does not block the
// next), creating the folder. Shared by goal_status.log and the transcripts.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export class LineAppender {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly filePath: string) {}

  append(line: string): Promise<void> {
    const write = async (): Promise<void> => {
      try {
        await fs.mkdir(path.dirname(this.filePath), { recursive: true });
        await fs.appendFile(this.filePath, `${line}\n`, 'utf8');
      } catch (e) {
        // A write error (ENOSPC on a full disk) names no file; the user needs to know which one.
        const err = e as NodeJS.ErrnoException;
        if (err.path === undefined) err.path = this.filePath;
        throw err;
      }
    };
    const result = this.queue.then(write, write);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every append so far has finished. */
  settled(): Promise<void> {
    return this.queue;
  }
}
