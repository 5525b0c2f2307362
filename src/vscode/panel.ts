// The side panel's host half: a webview view with a strict CSP and a nonce, the `ready` handshake
// before any post, versioned state pushes, and validation of everything the webview sends.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { WebviewMessage, type HostMessage } from '../protocol';
import type { GoalpostApp } from './app';
import { toGoalView } from './goalView';

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
  private readonly subscription: vscode.Disposable;

  constructor(private readonly app: GoalpostApp) {
    this.subscription = app.onDidChangeGoal(() => this.push());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.app.context.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(this.app.context.extensionUri, 'media')] };
    view.webview.html = this.html(view.webview, dist);
    view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    view.onDidDispose(() => {
      this.view = null;
      this.ready = false;
    });
    // Hidden and shown again: the webview may have been recreated; it says `ready` again.
    view.onDidChangeVisibility(() => {
      if (view.visible && this.ready) void this.push();
    });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = WebviewMessage.safeParse(raw);
    if (!parsed.success) {
      this.app.log.warn(`panel: ignored an invalid message: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      this.ready = true;
      await this.push();
      return;
    }
    await vscode.commands.executeCommand(`goalpost.${message.command}`, message.folder);
  }

  /** Sends the whole state (small: the panel's view model, not the goal record). */
  async push(): Promise<void> {
    if (!this.view || !this.ready) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) await this.app.folderGoal(folder);
    const goals = this.app.loadedFolders()
      .filter((fg) => fg.goal !== null && fg.goal.status !== 'cleared')
      .map((fg) => toGoalView(fg.root, fg.goal!, fg.controller.isRunning));
    const message: HostMessage = { type: 'state', version: ++this.version, goals, trusted: vscode.workspace.isTrusted };
    await this.view.webview.postMessage(message);
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
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${codicons}" rel="stylesheet">
<link href="${css}" rel="stylesheet">
<title>Goalpost</title>
</head>
<body>
<main id="root" aria-live="polite"><p>Loading…</p></main>
<script type="module" nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** True when the built webview exists (a dev build without `npm run build` shows a clear error). */
export function webviewBuilt(extensionPath: string): boolean {
  return fs.existsSync(`${extensionPath}/dist/webview.js`);
}
