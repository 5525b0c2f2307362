// Workspace Trust: the engine edits files and runs commands, so it only runs in trusted workspaces.
import * as vscode from 'vscode';
import type { Ui } from './ui';

/** The Restricted Mode explanation, in the user's language. */
export function untrustedMessage(): string {
  return vscode.l10n.t('Goalpost is disabled in Restricted Mode: it edits files and runs commands, so it only works in a trusted workspace. Trust this workspace to use it.');
}

/** True when trusted; otherwise explains why the command is disabled and offers to manage trust. */
export async function requireTrust(ui: Ui): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  // The command returns at once; the offer stays in the notification for whenever the user acts on it.
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void ui.warn(untrustedMessage(), manage).then((choice) => {
    if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
