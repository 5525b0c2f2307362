// A Clock whose time only moves when told: sleep() resolves at once (advancing the time by its
// duration) but still honours the AbortSignal, so loop tests never wait on real timers.
import { Aborted } from '../../../src/engine/errors';
import type { Clock } from '../../../src/engine/ports';

export class ManualClock implements Clock {
  private time: number;
  /** Every sleep requested, in milliseconds, in order. */
  readonly sleeps: number[] = [];
  /**
   * Called at each sleep with its 1-based number: the loop sleeps between iterations, so this is where
   * a test plays a user acting between two iterations (editing BACKLOG.md, pausing…).
   */
  onSleep: ((count: number, ms: number) => void | Promise<void>) | null = null;

  constructor(start: Date | string = '2026-01-05T09:00:00.000Z') {
    this.time = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  /** Moves the time forward by `ms`. */
  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new Aborted();
    this.sleeps.push(ms);
    this.time += ms;
    await this.onSleep?.(this.sleeps.length, ms);
    // Yield once, like a real timer would, so other work queued meanwhile gets to run.
    await Promise.resolve();
    if (signal?.aborted) throw new Aborted();
  }
}
