// Reads `goalpost.*` settings through the engine's zod schema on every call, so a change applies to the
// next request without a restart; a bad value is named once and its default used.
import * as vscode from 'vscode';
import { EngineSettings, parseSettings } from '../engine/settings';

const reported = new Set<string>();
let report: (message: string) => void = (m) => void vscode.window.showWarningMessage(m);

/** Where problems with settings are told (the extension's Ui, so automation sees them too). */
export function setSettingsReporter(reporter: (message: string) => void): void {
  report = reporter;
}

/** Setting keys whose VS Code name differs from the engine's field name (none today). */
const RENAMED: Record<string, string> = {};

/** Parsed settings per scope, dropped whenever a `goalpost.*` setting changes (the engine asks often). */
const cache = new Map<string, EngineSettings>();

/** Forgets the parsed settings when the user changes one, so the next request sees the change. */
export function watchSettings(): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('goalpost')) cache.clear();
  });
}

export function readSettings(scope?: vscode.Uri): EngineSettings {
  const key = scope?.toString() ?? '';
  const cached = cache.get(key);
  if (cached) return cached;
  const config = vscode.workspace.getConfiguration('goalpost', scope);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EngineSettings.shape)) {
    const name = RENAMED[key] ?? key;
    const inspected = config.inspect(name);
    // Only values the user set: defaults come from the schema, so package.json and zod cannot disagree silently.
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value !== undefined) raw[key] = value;
  }
  const { settings, problems } = parseSettings(raw);
  for (const p of problems) {
    const id = `${p.setting}:${JSON.stringify(raw[p.setting])}`;
    if (reported.has(id)) continue;
    reported.add(id);
    // The problem itself comes from the engine's schema and stays English.
    report(vscode.l10n.t('Goalpost: the setting goalpost.{0} is invalid ({1}); its default is used.', RENAMED[p.setting] ?? p.setting, p.message));
  }
  cache.set(key, settings);
  return settings;
}

/** The model endpoint settings that are not part of the engine's schema. */
export function readBaseUrl(scope?: vscode.Uri): string {
  return vscode.workspace.getConfiguration('goalpost', scope).get<string>('baseUrl', '').trim();
}
