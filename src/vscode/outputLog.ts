// What the Goalpost output channel shows, by `goalpost.logLevel`: status lines at info, debug traces of
// every model request (role, tokens) and tool call (redacted arguments) at debug, nothing but warnings
// and errors above info. The channel's own level (VS Code's "Set Log Level") still filters on top.
import type * as vscode from 'vscode';
import type { ModelTrace, ToolTrace } from '../engine/loop/deps';
import { redactSecrets } from '../engine/redact';
import type { EngineSettings } from '../engine/settings';

const RANK: Record<EngineSettings['logLevel'], number> = { debug: 0, info: 1, warn: 2, error: 3 };
/** Tool arguments longer than this are cut (a whole file's content says little in a log line). */
const ARGS_MAX = 300;

/** Writes engine events to the output channel at the detail `level()` asks for. */
export class OutputLog {
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly level: () => EngineSettings['logLevel'],
    private readonly secrets: () => readonly string[],
  ) {}

  /** A status line (shown at info and debug). */
  status(folder: string, phase: string, message: string): void {
    if (RANK[this.level()] <= RANK.info) this.log.info(`[${folder}] ${phase}: ${message}`);
  }

  /** Written at info level of the channel, so `goalpost.logLevel: debug` alone is enough to see it. */
  model(folder: string, t: ModelTrace): void {
    if (this.level() !== 'debug') return;
    const tokens = t.usage.inputTokens - t.usage.cachedInputTokens + t.usage.outputTokens;
    this.log.info(`[${folder}] debug model ${t.role} ${t.model} step ${t.step}: ${tokens} tokens (input ${t.usage.inputTokens}, cached ${t.usage.cachedInputTokens}, output ${t.usage.outputTokens}) → ${t.toolCalls.join(', ') || 'text only'}`);
  }

  tool(folder: string, t: ToolTrace): void {
    if (this.level() !== 'debug') return;
    const args = redactSecrets(t.arguments, this.secrets()).replace(/\s+/g, ' ');
    this.log.info(`[${folder}] debug tool ${t.role} ${t.name} ${args.length > ARGS_MAX ? `${args.slice(0, ARGS_MAX)}…` : args} ${t.ok ? 'ok' : 'failed'}`);
  }
}
