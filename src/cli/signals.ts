// Ctrl+C and SIGTERM for `goalpost run`: the first asks for a soft stop (the caller saves the session),
// a second one exits at once, because a user pressing Ctrl+C twice wants out now.
import type { HeldLock } from './control';
import { ExitCode } from './exitCodes';

/**
 * First SIGINT/SIGTERM: ask for a soft stop. Second: exit 130 at once (the lock is released, the goal
 * record is already consistent because every step is saved atomically).
 */
export function installSignalHandlers(lock: HeldLock, onFirst: (signal: NodeJS.Signals) => void): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      onFirst(signal);
      return;
    }
    lock.release();
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return (): void => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
