// A goal status as the editor names it to people, in their language (the record keeps the English id).
import * as vscode from 'vscode';
import type { Goal } from '../engine/goal';

/** The status word shown in the status bar and in messages. */
export function statusName(status: Goal['status']): string {
  switch (status) {
    case 'pursuing': return vscode.l10n.t('pursuing');
    case 'paused': return vscode.l10n.t('paused');
    case 'achieved': return vscode.l10n.t('achieved');
    case 'unmet': return vscode.l10n.t('unmet');
    case 'budget-limited': return vscode.l10n.t('budget-limited');
    case 'cleared': return vscode.l10n.t('cleared');
  }
}
