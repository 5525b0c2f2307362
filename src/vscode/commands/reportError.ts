// A command that fails tells the user what happened and what to do; the stack goes to the log.
import * as vscode from 'vscode';
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
    await app.ui.error(vscode.l10n.t('Goalpost stopped: {0}, then resume the goal. Nothing that was saved is lost.', describeFsFault(fault)));
    return undefined;
  }
  const known = e instanceof EngineError || e instanceof StoreError;
  // The message is the engine's or the system's (English); the sentence around it is the editor's.
  await app.ui.error(known ? vscode.l10n.t('Goalpost: {0}', message) : vscode.l10n.t('Goalpost: {0} failed: {1}. See the Goalpost output for details.', command, message));
  return undefined;
}
