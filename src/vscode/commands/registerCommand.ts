// The one way a Goalpost command is registered: a command that fails reports what happened and what to
// do (reportError; the stack goes to the log) instead of VS Code's bare "command failed". The ids stay
// literal at each `reg('goalpost.…')` call, where scripts/check-commands.mjs finds them.
import * as vscode from 'vscode';
import type { GoalpostApp } from '../app';
import type { DisposableStore } from '../disposable';
import { reportError } from './reportError';

export type CommandHandler = (...args: unknown[]) => Promise<unknown>;

/** Registers one command; `onFailure` is what a failed command returns once the error was reported. */
export type RegisterCommand = (id: string, fn: CommandHandler, onFailure?: (e: unknown) => unknown) => void;

/** A `reg` for commands owned by `owner`: the app, or a feature that is disposed on its own. */
export function commandRegistrar(app: GoalpostApp, owner: Pick<DisposableStore, 'register'> = app): RegisterCommand {
  return (id, fn, onFailure) => {
    owner.register(vscode.commands.registerCommand(id, (...args: unknown[]) => fn(...args).catch(async (e: unknown) => {
      await reportError(app, id, e);
      return onFailure?.(e);
    })));
  };
}
