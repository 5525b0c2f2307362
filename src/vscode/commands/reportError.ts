// A command that fails tells the user what happened and what to do; the stack goes to the log.
import { EngineError } from '../../engine/errors';
import { StoreError } from '../../engine/ports';
import type { GoalpostApp } from '../app';

export async function reportError(app: GoalpostApp, command: string, e: unknown): Promise<undefined> {
  const message = e instanceof Error ? e.message : String(e);
  app.log.error(`${command}: ${e instanceof Error ? e.stack ?? message : message}`);
  const known = e instanceof EngineError || e instanceof StoreError;
  await app.ui.error(known ? `Goalpost: ${message}` : `Goalpost: ${command} failed: ${message}. See the Goalpost output for details.`);
  return undefined;
}
