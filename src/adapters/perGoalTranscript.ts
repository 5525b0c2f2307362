// One transcript file per goal (`<dir>/<goal>.jsonl`), chosen from each entry's `goal` field, with the
// API key redacted from every string. Shared by the CLI and the extension.
import * as path from 'node:path';
import type { Transcript } from '../engine/ports';
import { FileTranscript } from './fileTranscript';

/**
 * One transcript file per goal (`.goalpost/transcripts/<goal>.jsonl`), picked from each entry's `goal`
 * field, with the API key redacted from every string.
 */
export class PerGoalTranscript implements Transcript {
  private readonly files = new Map<string, FileTranscript>();

  constructor(
    private readonly dir: string,
    private readonly secrets: () => readonly string[],
  ) {}

  append(entry: Record<string, unknown>): Promise<void> {
    const goal = typeof entry.goal === 'string' && /^[A-Za-z0-9._-]+$/.test(entry.goal) ? entry.goal : 'unknown';
    let file = this.files.get(goal);
    if (!file) {
      file = new FileTranscript(path.join(this.dir, `${goal}.jsonl`), this.secrets);
      this.files.set(goal, file);
    }
    return file.append(entry);
  }
}
