// The per-goal transcript in memory.
import type { Transcript } from '../../../src/engine/ports';

export class MemoryTranscript implements Transcript {
  readonly entries: Record<string, unknown>[] = [];

  async append(entry: Record<string, unknown>): Promise<void> {
    this.entries.push(structuredClone(entry));
  }
}
