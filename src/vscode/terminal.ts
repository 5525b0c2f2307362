// The integrated terminal named "Goalpost": a pseudoterminal fed by the same runner as the CLI, so exit
// codes are exact and output is never lost. Ctrl+C typed in it stops the running command (its whole tree).
import * as vscode from 'vscode';
import type { CommandRequest, CommandResult, CommandRunner } from '../engine/ports';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';

function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export class GoalpostTerminal implements vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private terminal: vscode.Terminal | null = null;
  private opened = false;
  private buffer: string[] = [];
  private readonly running = new Set<AbortController>();
  private readonly closeListener: vscode.Disposable;
  /** The last 200 KB written, for automation and tests (the terminal itself is write-only). */
  private recent = '';

  constructor() {
    this.closeListener = vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) {
        this.terminal = null;
        this.opened = false;
      }
    });
  }

  /** Creates the terminal if needed; `show` reveals it. */
  ensure(show = false): vscode.Terminal {
    if (!this.terminal) {
      const pty: vscode.Pseudoterminal = {
        onDidWrite: this.writeEmitter.event,
        open: () => {
          this.opened = true;
          for (const chunk of this.buffer) this.writeEmitter.fire(chunk);
          this.buffer = [];
        },
        close: () => {
          this.opened = false;
        },
        handleInput: (data) => {
          if (data === '\x03') this.stopRunning();
        },
      };
      this.terminal = vscode.window.createTerminal({ name: 'Goalpost', pty, iconPath: new vscode.ThemeIcon('target') });
    }
    if (show) this.terminal.show(true);
    return this.terminal;
  }

  get history(): string {
    return this.recent;
  }

  write(text: string): void {
    const chunk = toTerminal(text);
    this.recent = (this.recent + chunk).slice(-200_000);
    if (this.opened) this.writeEmitter.fire(chunk);
    else {
      this.buffer.push(chunk);
      if (this.buffer.length > 5000) this.buffer.splice(0, this.buffer.length - 5000);
    }
  }

  /** Stops every command currently running through the terminal. */
  stopRunning(): void {
    for (const c of this.running) c.abort();
    if (this.running.size > 0) this.write(`\n${RED}${vscode.l10n.t('^C — stopping the command')}${RESET}\n`);
  }

  /** Wraps a runner so every command shows up here live, and can be stopped from here. */
  wrap(inner: CommandRunner): CommandRunner {
    return {
      run: async (request: CommandRequest): Promise<CommandResult> => {
        this.ensure(false);
        const local = new AbortController();
        const onAbort = (): void => local.abort();
        request.signal?.addEventListener('abort', onAbort, { once: true });
        if (request.signal?.aborted) local.abort();
        this.running.add(local);
        this.write(`${BOLD}$ ${request.command}${RESET}\n`);
        try {
          const result = await inner.run({
            ...request,
            signal: local.signal,
            onOutput: (chunk) => {
              this.write(chunk);
              request.onOutput?.(chunk);
            },
          });
          const status = result.timedOut
            ? `${RED}${vscode.l10n.t('timed out')}${RESET}`
            : result.exitCode === 0
              ? `${GREEN}${vscode.l10n.t('exit {0}', 0)}${RESET}`
              : result.exitCode === null
                ? `${RED}${vscode.l10n.t('killed ({0})', result.signal ?? vscode.l10n.t('signal'))}${RESET}`
                : `${RED}${vscode.l10n.t('exit {0}', result.exitCode)}${RESET}`;
          const took = vscode.l10n.t('in {0} s', (result.durationMs / 1000).toFixed(1));
          this.write(`\n${DIM}[${RESET}${status}${DIM} ${took}]${RESET}\n\n`);
          // Stopped from the terminal but not paused: report it as a failure of the command, not a pause.
          return request.signal?.aborted ? result : { ...result, aborted: false };
        } finally {
          this.running.delete(local);
          request.signal?.removeEventListener('abort', onAbort);
        }
      },
    };
  }

  dispose(): void {
    this.closeListener.dispose();
    this.terminal?.dispose();
    this.writeEmitter.dispose();
  }
}
