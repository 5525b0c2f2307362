// The side panel's host half: a webview view with a strict CSP and a nonce, the `ready` handshake
// before any post, versioned state pushes, usage ticks and log lines as deltas, and validation of
// everything the webview sends. The webview holds no truth: after hide/show or a reload it says
// `ready` again and gets everything anew.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { LOG_TAIL_LINES, type GoalView, type HistoryView, type HostMessage, type LiveView } from '../protocol';
import type { GoalpostApp } from './app';
import type { FolderGoal } from './folderGoal';
import { openCommitReview, openGoalTemplate, openReviewNote } from './commands/panelCommands';
import { onlyUsageChanged, toGoalView, toHistoryView, toUsageView } from './goalView';
import { startDemo } from './commands/demoCommand';
import { syncModelContext, testConnection, useLocalServer } from './setup';
import { STATE_DIR } from '../engine/stateFiles';
import { parseWebviewMessage } from './webviewInput';
import { ActivityFeed } from './activityTail';

// Log lines arriving within this window go out as one delta.
const LOG_FLUSH_MS = 100;
// Goal saves come in bursts (several per step); one push per burst is enough.
const PUSH_COALESCE_MS = 30;

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

export class GoalPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'goalpost.panel';
  private view: vscode.WebviewView | null = null;
  private ready = false;
  private version = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** What the webview shows now, per folder: the base of the usage-delta decision. */
  private shown = new Map<string, GoalView>();
  private shownShape = '';
  private history: HistoryView[] | null = null;
  private historyKey = '';
  private pushTimer: ReturnType<typeof setTimeout> | null = null;
  private pushing: Promise<void> = Promise.resolve();
  /** Status lines as deltas, and each new card's tail (activityTail.ts). */
  private readonly feed = new ActivityFeed((batch) => void this.post({ type: 'log', ...batch }), {
    flushMs: LOG_FLUSH_MS,
    limit: LOG_TAIL_LINES,
    listening: () => this.view !== null && this.ready,
  });

  constructor(private readonly app: GoalpostApp) {
    this.subscriptions.push(
      app.onDidChangeGoal(() => this.schedulePush()),
      app.onDidLogStatus((e) => this.feed.announce(e.folder, e.line)),
      app.onDidChangeLive((live) => void this.postLive(live)),
      app.context.secrets.onDidChange(() => void this.pushSetup()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('goalpost.baseUrl')) void this.pushSetup();
      }),
      // Trust granted while the panel shows "Restricted Mode": it updates at once, not after hide/show.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.shownShape = '';
        void this.pushNow();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.app.context.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(this.app.context.extensionUri, 'media')] };
    view.webview.html = this.html(view.webview, dist);
    view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw).catch((e: unknown) => this.app.log.error(`panel: ${e instanceof Error ? e.message : String(e)}`)));
    view.onDidDispose(() => {
      this.view = null;
      this.ready = false;
    });
    // Hidden: the webview is torn down (no retained context); shown again, it says `ready` anew.
    view.onDidChangeVisibility(() => {
      if (!view.visible) this.ready = false;
    });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.app.log.warn(`panel: ignored an invalid message (${parsed.error}): ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.shown = new Map();
        this.shownShape = '';
        this.history = null;
        // First: the webview builds its views (and looks their strings up) on the next message.
        await this.post({ type: 'l10n', bundle: vscode.l10n.bundle ?? null });
        // A key store that fails must not leave the panel without its goals (the error is in the log).
        await this.pushSetup().catch((e: unknown) => this.app.log.error(`panel setup: ${e instanceof Error ? e.message : String(e)}`));
        // The push sends each card's activity tail after the card (every card is new to a fresh webview).
        await this.pushNow();
        for (const live of this.app.liveSteps()) await this.postLive(live);
        return;
      case 'command':
        await vscode.commands.executeCommand(`goalpost.${message.command}`, message.folder);
        return;
      case 'openNote':
        await openReviewNote(this.app, message.folder, message.path, message.line);
        return;
      case 'openCommit':
        await openCommitReview(this.app, message.folder, message.sha);
        return;
      case 'openTemplate':
        await openGoalTemplate();
        return;
      case 'useLocalServer':
        await useLocalServer(this.app, message.baseUrl, message.preset);
        await this.pushSetup();
        return;
      case 'testConnection': {
        const baseUrl = message.baseUrl ?? '';
        await this.post({ type: 'connection', baseUrl, result: null });
        await this.post({ type: 'connection', baseUrl, result: await testConnection(this.app, message.baseUrl) });
        return;
      }
      case 'startDemo':
        await startDemo(this.app);
        return;
      case 'manageTrust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'showTerminal':
        this.app.terminal.ensure(true);
        return;
      case 'openCheckLog':
        await this.openCheckLog(message.folder, message.logPath);
        return;
    }
  }

  /** Key and endpoint state, for the empty state's three ways on. */
  private async pushSetup(): Promise<void> {
    const setup = await syncModelContext(this.app);
    if (this.view && this.ready) await this.post({ type: 'setup', setup });
  }

  private async postLive(live: LiveView): Promise<void> {
    if (this.view && this.ready) await this.post({ type: 'live', live });
  }

  /** Opens a check's full output; only logs under the folder's .goalpost/ are opened. */
  private async openCheckLog(folder: string, logPath: string): Promise<void> {
    const fg = this.app.loadedFolders().find((f) => f.root === folder);
    if (!fg) return;
    const file = path.resolve(fg.root, logPath);
    const stateDir = path.join(fg.root, STATE_DIR) + path.sep;
    if (!file.startsWith(stateDir)) {
      this.app.log.warn(`panel: refused to open ${logPath}: not under ${STATE_DIR}/`);
      return;
    }
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc, { preview: true });
    } catch {
      await this.app.ui.info(vscode.l10n.t('Goalpost: the output log {0} is no longer there.', logPath));
    }
  }

  private schedulePush(): void {
    if (!this.view || !this.ready || this.pushTimer) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      void this.pushNow();
    }, PUSH_COALESCE_MS);
  }

  /** Pushes now, one push at a time (so versions reach the webview in order). */
  pushNow(): Promise<void> {
    this.pushing = this.pushing.then(() => this.push()).catch((e: unknown) => this.app.log.error(`panel push: ${e instanceof Error ? e.message : String(e)}`));
    return this.pushing;
  }

  private async post(message: HostMessage): Promise<void> {
    await this.view?.webview.postMessage(message);
  }

  /** Sends what changed: usage deltas when only usage figures moved, else the whole (small) view model. */
  private async push(): Promise<void> {
    if (!this.view || !this.ready) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) await this.app.folderGoal(folder);
    const loaded = this.app.loadedFolders().filter((fg) => fg.goal !== null && fg.goal.status !== 'cleared');
    const goals = loaded.map((fg) => toGoalView(fg.root, fg.folder.name, fg.goal!, fg.controller.isRunning, fg.controller.deps.settings(), fg.controller.runningSince));
    const history = await this.historyViews();
    const shape = JSON.stringify({ folders: goals.map((g) => g.folder), trusted: vscode.workspace.isTrusted, history });
    const usageOnly = shape === this.shownShape && goals.every((g) => {
      const before = this.shown.get(g.folder);
      return before !== undefined && onlyUsageChanged(before, g);
    });
    if (usageOnly) {
      for (const [i, g] of goals.entries()) {
        const before = this.shown.get(g.folder)!;
        this.shown.set(g.folder, g);
        if (JSON.stringify(toUsageOf(before)) === JSON.stringify(toUsageOf(g))) continue;
        await this.post({ type: 'usage', version: ++this.version, folder: g.folder, usage: toUsageView(loaded[i].goal!) });
      }
      return;
    }
    const before = this.shown;
    this.shown = new Map(goals.map((g) => [g.folder, g]));
    this.shownShape = shape;
    await this.post({ type: 'state', version: ++this.version, goals, history, trusted: vscode.workspace.isTrusted });
    // A card that is new, or shows another goal than before, gets its tail now, read for the goal it shows: a tail
    // read at `ready` could miss a goal that loaded a moment later and leave its card's activity empty.
    for (const [i, g] of goals.entries()) if (before.get(g.folder)?.id !== g.id) await this.sendLogTail(loaded[i], g.id);
  }

  /** Goal history, re-read only when some goal's status changed (it only changes when a goal ends). */
  private async historyViews(): Promise<HistoryView[]> {
    const key = this.app.loadedFolders().map((fg) => `${fg.root}:${fg.goal?.id ?? '-'}:${fg.goal?.status ?? '-'}`).join('|');
    if (this.history && key === this.historyKey) return this.history;
    this.historyKey = key;
    this.history = (await this.app.history()).map(toHistoryView);
    return this.history;
  }

  /** The folder's last lines of this goal (a cleared goal's events are history, not this goal's activity). */
  private async sendLogTail(fg: FolderGoal, goalId: string): Promise<void> {
    await this.post({ type: 'log', ...this.feed.tail(fg.root, fg.statusLogPath(), goalId) });
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const n = nonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const codicons = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicon.css'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.app.context.extensionUri, 'media', 'panel.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    // The id on the codicon link is how vscode-icon finds the font stylesheet for its shadow root.
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${codicons}" rel="stylesheet" id="vscode-codicon-stylesheet">
<link href="${css}" rel="stylesheet">
<title>Goalpost</title>
</head>
<body>
<main id="root" aria-live="polite"><p>${escapeHtml(vscode.l10n.t('Loading…'))}</p></main>
<script type="module" nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.feed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function toUsageOf(g: GoalView): unknown[] {
  return [g.tokens, g.budget, g.costUsd, g.requests, g.forecastTokens, g.forecastCostUsd];
}
