// How the model is reached, for the panel's first-run choices (F11): whether a key is set, the local
// server presets, and the bridge to the connection check (`goalpost.testConnection`, F12), which
// another part of the extension registers — until it exists, the panel says so instead of failing.
import * as vscode from 'vscode';
import { isLocalUrl } from '../adapters/openaiModel';
import { ConnectionResult, LOCAL_SERVER_PRESETS, type SetupView } from '../protocol';
import type { GoalpostApp } from './app';
import { readBaseUrl } from './config';

/** Context key: a model is connected (a key is set, or the base URL is a local server). */
export const HAS_MODEL_CONTEXT = 'goalpost.hasModel';

export async function readSetup(app: GoalpostApp): Promise<SetupView> {
  const baseUrl = readBaseUrl();
  const hasKey = Boolean((await app.keys.get()) || process.env.OPENAI_API_KEY);
  return { hasKey, baseUrl, local: baseUrl !== '' && isLocalUrl(baseUrl) };
}

/** Keeps the `goalpost.hasModel` context key (the walkthrough's "Connect a model" step) up to date. */
export async function syncModelContext(app: GoalpostApp): Promise<SetupView> {
  const setup = await readSetup(app);
  await vscode.commands.executeCommand('setContext', HAS_MODEL_CONTEXT, setup.hasKey || setup.local);
  return setup;
}

/** The value of goalpost.provider for a preset, when that setting exists and accepts one. */
function providerFor(app: GoalpostApp, preset: string | undefined): string | undefined {
  type Prop = { enum?: unknown[] };
  const contributes = (app.context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, Prop> } } }).contributes;
  const prop = contributes?.configuration?.properties?.['goalpost.provider'];
  if (!prop) return undefined;
  const allowed = Array.isArray(prop.enum) ? prop.enum.filter((v): v is string => typeof v === 'string') : null;
  if (!allowed) return preset;
  for (const candidate of [preset, 'openai-compatible', 'local', 'custom']) {
    if (candidate && allowed.includes(candidate)) return candidate;
  }
  return undefined;
}

/** Points Goalpost at a local OpenAI-compatible server (user settings: it follows the user, not the folder). */
export async function useLocalServer(app: GoalpostApp, baseUrl: string, preset?: string): Promise<void> {
  const known = LOCAL_SERVER_PRESETS.find((p) => p.id === preset);
  const config = vscode.workspace.getConfiguration('goalpost');
  // A value in the workspace's settings would hide a user-level one: write where it takes effect.
  const target = (key: string): vscode.ConfigurationTarget => {
    const seen = config.inspect(key);
    return seen?.workspaceFolderValue !== undefined || seen?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  };
  await config.update('baseUrl', baseUrl, target('baseUrl'));
  const provider = providerFor(app, known?.id);
  if (provider !== undefined) await config.update('provider', provider, target('provider'));
  app.log.info(`model endpoint set to ${baseUrl}${known ? ` (${known.name})` : ''}`);
}

/** Runs the connection check silently and returns its lines; never throws. */
export async function testConnection(app: GoalpostApp, baseUrl: string | undefined): Promise<ConnectionResult> {
  let raw: unknown;
  try {
    raw = await vscode.commands.executeCommand('goalpost.testConnection', { ...(baseUrl ? { baseUrl } : {}), silent: true });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/not found/i.test(message)) {
      return { ok: false, lines: [{ check: vscode.l10n.t('Connection check'), ok: false, detail: vscode.l10n.t('The connection check is not available in this version of Goalpost.'), fix: vscode.l10n.t('Set the goal anyway: the first request shows whether the server answers.') }] };
    }
    app.log.error(`testConnection: ${message}`);
    return { ok: false, lines: [{ check: vscode.l10n.t('Connection check'), ok: false, detail: vscode.l10n.t('The check itself failed: {0}', message), fix: vscode.l10n.t('See the Goalpost output for details.') }] };
  }
  const parsed = ConnectionResult.safeParse(raw);
  if (parsed.success) return parsed.data;
  app.log.warn(`testConnection returned an unexpected shape: ${JSON.stringify(raw)?.slice(0, 300)}`);
  return { ok: false, lines: [{ check: vscode.l10n.t('Connection check'), ok: false, detail: vscode.l10n.t('The check returned no result.'), fix: vscode.l10n.t('See the Goalpost output for details.') }] };
}
