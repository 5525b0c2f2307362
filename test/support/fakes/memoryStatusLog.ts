// goal_status.log in memory: the events and the lines the file adapter would write.
import type { StatusEvent, StatusLog } from '../../../src/engine/ports';

export class MemoryStatusLog implements StatusLog {
  readonly events: StatusEvent[] = [];

  async append(event: StatusEvent): Promise<void> {
    this.events.push({ ...event });
  }

  /** The log as `phase: message` lines (times left out so assertions stay readable). */
  lines(): string[] {
    return this.events.map((e) => `${e.phase}: ${e.message}`);
  }

  /** True when some line contains `text`. */
  has(text: string | RegExp): boolean {
    return this.lines().some((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));
  }
}
