// How a running `goalpost run` is stopped from outside its loop: Ctrl+C / SIGTERM (exit 130) and
// `goalpost pause` from another process (exit 4), plus the live changes other commands send it.
import type { GoalController } from '../../engine/loop/controller';
import { clearControlRequest, watchControlRequests, type ControlRequest, type HeldLock } from '../control';
import type { Progress } from '../progress';
import { installSignalHandlers } from '../signals';

/** Why the run is being stopped from outside the loop. */
export interface StopRequest {
  reason: string;
  /** Ctrl+C / SIGTERM: exit 130 with the resume hint. A pause request from another process: exit 4. */
  interrupt: boolean;
}

/** Mutated by signal handlers and the control watcher while the loop runs. */
export interface StopState {
  stop: StopRequest | null;
  /** A goal was started or resumed (an interrupt before that has nothing to save). */
  started: boolean;
  pauseIssued: boolean;
}

export interface RunStops {
  readonly state: StopState;
  dispose(): void;
}

/** Installs the signal handlers and the control-request watcher; `dispose` removes them. */
export function installStops(
  root: string,
  controller: GoalController,
  lock: HeldLock,
  progress: Progress,
  applyLiveChange: (request: Exclude<ControlRequest, { action: 'pause' }>) => Promise<void>,
): RunStops {
  const state: StopState = { stop: null, started: false, pauseIssued: false };
  // A request can arrive between "the goal is loaded" and "the loop is running" (resume transitions
  // first): it is applied as soon as the loop runs, and checked again before the loop starts.
  const applyStop = (): void => {
    if (!state.stop || state.pauseIssued || !controller.isRunning) return;
    state.pauseIssued = true;
    void controller.pause(state.stop.reason, state.stop.interrupt ? 'interrupted' : 'user').catch(() => undefined);
  };
  const stopTimer = setInterval(applyStop, 50);
  stopTimer.unref();
  const requestStop = (request: StopRequest): void => {
    if (state.stop) return;
    state.stop = request;
    if (request.interrupt) {
      progress.silence();
      progress.raw('\nSaving session state... ');
    } else {
      progress.info(request.reason);
    }
    applyStop();
  };
  const removeSignals = installSignalHandlers(lock, (signal) => requestStop({
    reason: signal === 'SIGINT' ? 'Interrupted (Ctrl+C).' : `Interrupted (${signal}).`,
    interrupt: true,
  }));
  clearControlRequest(root);
  const stopWatching = watchControlRequests(root, (request) => {
    if (request.action === 'pause') requestStop({ reason: 'Paused by `goalpost pause`.', interrupt: false });
    else void applyLiveChange(request).catch((e: unknown) => progress.warn(`${request.action} request not applied: ${e instanceof Error ? e.message : String(e)}`));
  });
  return {
    state,
    dispose(): void {
      clearInterval(stopTimer);
      stopWatching();
      removeSignals();
    },
  };
}
