// The real Clock port for the CLI and the extension: wall time and an abortable sleep (a pause must not
// wait out the delay between iterations).
import type { Clock } from '../engine/ports';

/** Error thrown by sleep when its signal fires. */
export class SleepAborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortError';
  }
}

/** Wall-clock time and timers. */
export const systemClock: Clock = {
  now: (): Date => new Date(),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new SleepAborted());
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new SleepAborted());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
