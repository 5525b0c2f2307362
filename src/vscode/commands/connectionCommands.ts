// "Goalpost: Test Connection" (PRODUCT.md F12). Contract for the panel and other callers:
// executeCommand('goalpost.testConnection', { baseUrl?, provider?, model?, silent? }) resolves to
// { ok, lines: [{ check, ok, detail, fix? }] }. Missing arguments come from the settings and the stored
// key; without `silent` the result is also shown (a notification, details in the Goalpost output).
import * as vscode from 'vscode';
import * as z from 'zod';
import { checkConnection, formatReport, type ConnectionReport } from '../../adapters/connectionCheck';
import { ProviderSetting } from '../../engine/settings';
import type { GoalpostApp } from '../app';
import { readBaseUrl, readSettings } from '../config';
import { commandRegistrar } from './registerCommand';

/** The arguments the command accepts; anything else is refused with a clear message. */
export const TestConnectionArgs = z.object({
  baseUrl: z.string().trim().optional(),
  provider: ProviderSetting.optional(),
  model: z.string().trim().min(1).optional(),
  silent: z.boolean().optional(),
}).strict();

async function testConnection(app: GoalpostApp, raw: unknown): Promise<ConnectionReport> {
  const parsed = TestConnectionArgs.safeParse(raw ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    const report: ConnectionReport = { ok: false, lines: [{ check: 'Arguments', ok: false, detail: `goalpost.testConnection got invalid arguments: ${detail}`, fix: 'Pass { baseUrl?, provider?, model?, silent? }.' }] };
    // The report is for the calling code (English, like the API); the notification is the user's.
    await app.ui.error(vscode.l10n.t('Goalpost: {0}', report.lines[0].detail));
    return report;
  }
  const args = parsed.data;
  const settings = readSettings();
  const apiKey = (await app.keys.get()) || undefined;
  const run = (): Promise<ConnectionReport> => checkConnection({
    baseUrl: args.baseUrl || readBaseUrl() || undefined,
    apiKey,
    provider: args.provider ?? settings.provider,
    apiVersion: settings.apiVersion,
    model: args.model ?? settings.model,
    env: process.env,
    idleTimeoutMs: settings.requestIdleTimeoutSeconds * 1000,
  });
  const report = args.silent
    ? await run()
    : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Goalpost: testing the model connection…') }, run);
  const text = formatReport(report);
  for (const line of text) app.log.info(`[test connection] ${line}`);
  if (!args.silent) void show(app, report);
  return report;
}

async function show(app: GoalpostApp, report: ConnectionReport): Promise<void> {
  // The checks' names and details come from the connection check (English, shared with the CLI).
  const failed = report.lines.find((l) => !l.ok && l.check !== 'Usage');
  const details = vscode.l10n.t('Show Details');
  const choice = failed
    ? await app.ui.error(failed.fix
      ? vscode.l10n.t('Goalpost: {0} — {1} Fix: {2}', failed.check, failed.detail, failed.fix)
      : vscode.l10n.t('Goalpost: {0} — {1}', failed.check, failed.detail), details)
    : await app.ui.info(vscode.l10n.t('Goalpost: the model connection works ({0}).', report.lines.filter((l) => l.ok).map((l) => l.check).join(', ')), details);
  if (choice === details) app.log.show(true);
}

export function registerConnectionCommands(app: GoalpostApp): void {
  const reg = commandRegistrar(app);
  reg('goalpost.testConnection', (raw) => testConnection(app, raw),
    (e) => ({ ok: false, lines: [{ check: 'Connection check', ok: false, detail: e instanceof Error ? e.message : String(e) }] }) satisfies ConnectionReport);
}
