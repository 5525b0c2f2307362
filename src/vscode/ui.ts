// Every question and message the extension shows goes through here, so automation (the exported API's
// `answers` hook, used by the integration tests) can answer prompts and read what was shown.
import * as vscode from 'vscode';

/** A message shown to the user, kept for automation and tests. */
export interface ShownMessage {
  level: 'info' | 'warning' | 'error';
  text: string;
  actions: string[];
  answer: string | undefined;
}

type Answer = string | undefined | ((text: string, actions: string[]) => string | undefined);

export class Ui {
  readonly shown: ShownMessage[] = [];
  private readonly answers: { match: RegExp; answer: Answer }[] = [];
  /** Told of every message when shown and of every answer (the Output channel keeps them: "what did Goalpost ask me?"). */
  onShown: ((message: ShownMessage, answered: boolean) => void) | undefined;

  /** Pre-answers the next message whose text matches (automation only). */
  answerNext(match: RegExp, answer: Answer): void {
    this.answers.push({ match, answer });
  }

  async message(level: ShownMessage['level'], text: string, actions: string[] = [], modal = false): Promise<string | undefined> {
    // Recorded when shown (not when answered): a notification nobody clicks is still a fact.
    const record: ShownMessage = { level, text, actions, answer: undefined };
    this.shown.push(record);
    if (this.shown.length > 200) this.shown.shift();
    this.onShown?.(record, false);
    const preset = this.answers.findIndex((a) => a.match.test(text));
    if (preset >= 0) {
      const [{ answer: a }] = this.answers.splice(preset, 1);
      record.answer = typeof a === 'function' ? a(text, actions) : a;
    } else {
      const show = level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
      const shown = show(text, { modal }, ...actions);
      // A message without choices is news, not a question: nobody has to dismiss it to go on.
      if (actions.length === 0 && !modal) return undefined;
      record.answer = await shown;
    }
    this.onShown?.(record, true);
    return record.answer;
  }

  info(text: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('info', text, actions);
  }

  warn(text: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('warning', text, actions);
  }

  error(text: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('error', text, actions);
  }

  /** A modal confirmation: true only when `action` was chosen. */
  async confirm(text: string, action: string): Promise<boolean> {
    return (await this.message('warning', text, [action], true)) === action;
  }
}
