// A command that fails tells the user what happened and what to do; the stack goes to the log.
import { describeFsFault, fsFaultOf } from '../../adapters/fsFault';
import { EngineError } from '../../engine/errors';
import { StoreError } from '../../engine/ports';
import type { GoalpostApp } from '../app';

export async function reportError(app: GoalpostApp, command: string, e: unknown): Promise<undefined> {
  const message = e instanceof Error ? e.message : String(e);
  app.log.error(`${command}: ${e instanceof Error ? e.stack ?? message : message}`);
  // A full or read-only disk: what happened and what to do; the goal keeps its last saved state.
  const fault = fsFaultOf(e);
  if (fault) {
    await app.ui.error(`Goalpost stopped: ${describeFsFault(fault)}, then resume the goal. Nothing that was saved is lost.`);
    return undefined;
  }
  const known = e instanceof EngineError || e instanceof StoreError;
  await app.ui.error(known ? `Goalpost: ${message}` : `Goalpost: ${command} failed: ${message}. See the Goalpost output for details.`);
  return undefined;
}
