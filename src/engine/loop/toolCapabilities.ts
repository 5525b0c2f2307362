// Builds the ToolCapabilities of a turn from the session: the same workspace and runner the engine uses,
// the policy from settings, and the engine-owned paths the model may not edit.
import type { ToolCapabilities } from '../tools/capabilities';
import { EDITOR_SETTINGS_FILE, protectedPatterns } from '../protectedPaths';
import type { GoalSession } from './session';
import { STATE_DIR } from '../stateFiles';


export function toolCapabilities(session: GoalSession, onFileChanged: (path: string) => void = () => undefined): ToolCapabilities {
  const settings = session.settings();
  const observer = session.deps.observer;
  return {
    workspace: session.deps.workspace,
    commands: session.deps.commands,
    commandPolicy: { denyList: settings.commandDenyList, allowList: settings.commandAllowList },
    maxCommandTimeoutSeconds: settings.commandTimeoutSeconds,
    sandbox: { mode: settings.sandbox, network: settings.sandboxNetwork },
    protectedPaths: [settings.backlogPath, settings.statusLogPath, STATE_DIR],
    protectedGlobs: [...protectedPatterns(session.goal.spec.protectedPaths, settings.protectedPaths), EDITOR_SETTINGS_FILE],
    onFileChanged,
    onCommandOutput: observer?.commandOutput
      ? (chunk: string): void => observer.commandOutput?.(chunk, { command: '', origin: 'agent' })
      : undefined,
  };
}
