// What `goalpost run` shows while it works. Three modes: a live line on a terminal (phase, task,
// tokens/budget, $), plain lines (one per status event) when stdout is not a TTY, and JSON lines
// (`--json`) for scripts. Everything goes through here so modes never mix on one stream.
import type { Goal, Phase } from '../engine/goal';
import type { EngineObserver, ModelTrace, ToolTrace } from '../engine/loop/deps';
import { redactSecrets } from '../engine/redact';
import { EVENTS_SCHEMA_VERSION } from './events';
import type { StatusEvent } from '../engine/ports';
import { fit, formatBudget, formatDuration, formatUsd } from './format';
import { formatTime } from '../timeFormat';

/** How progress is written. */
export type OutputMode = 'tty' | 'plain' | 'json';

/** Detail of the progress output, as --log-level sets it. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A stream progress can write to (process.stdout in the CLI, a buffer in tests). */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Where and how progress is written. */
export interface ProgressOptions {
  mode: OutputMode;
  logLevel: LogLevel;
  out: OutStream;
  err: OutStream;
  /** Known secrets (the API key), redacted from debug traces of tool arguments. */
  secrets?: readonly string[];
}

/** Tool arguments longer than this are cut in debug traces (a whole file's content says little there). */
const TRACE_ARGS_MAX = 300;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The mode for this process: JSON when asked, a live line on a terminal, else plain lines. */
export function outputMode(json: boolean, out: OutStream): OutputMode {
  if (json) return 'json';
  return out.isTTY ? 'tty' : 'plain';
}

/** An event's time in the one format people read (local; dated when not today, e.g. a run past midnight). */
function clock(at: Date): string {
  return formatTime(at, new Date());
}

/** Prints the engine's events in the chosen mode and keeps the live line up to date. */
export class Progress {
  private goal: Goal | null = null;
  private frame = 0;
  private liveShown = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = Date.now();
  private lastState = '';
  private silenced = false;

  constructor(private readonly options: ProgressOptions) {
    if (options.mode === 'tty') {
      this.timer = setInterval(() => this.redraw(), 250);
      this.timer.unref();
    }
  }

  /** The observer to hand to the engine. */
  observer(): EngineObserver {
    return {
      goalChanged: (goal) => this.goalChanged(goal),
      status: (event) => this.status(event),
      warning: (message) => this.warn(message),
      commandOutput: (chunk, source) => this.commandOutput(chunk, source.origin),
      modelResponse: (info) => this.modelTrace(info),
      toolCall: (info) => this.toolTrace(info),
    };
  }

  /**
   * Stops event lines (they stay in goal_status.log) so a closing message such as
   * "Saving session state... done." is not split by the events of the stop itself.
   */
  silence(): void {
    this.silenced = true;
    this.clearLive();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A line for the user (plain and TTY modes; a `message` event in JSON mode). */
  info(text: string): void {
    if (this.silenced || RANK[this.options.logLevel] > RANK.info) return;
    if (this.options.mode === 'json') this.json({ type: 'message', message: text });
    else this.line(this.options.out, text);
  }

  /** A warning: never hidden below `error` level; on stderr so stdout stays parseable. */
  warn(text: string): void {
    if (RANK[this.options.logLevel] > RANK.warn) return;
    if (this.options.mode === 'json') this.json({ type: 'warning', message: text });
    else this.line(this.options.err, `warning: ${text}`);
  }

  /** Text written as is on the user's stream (stdout, or stderr in JSON mode so stdout stays JSON). */
  raw(text: string): void {
    this.clearLive();
    (this.options.mode === 'json' ? this.options.err : this.options.out).write(text);
  }

  /** One JSON line (JSON mode only). */
  json(value: Record<string, unknown>): void {
    if (this.options.mode !== 'json') return;
    // `v` first, so a reader can check the schema version before anything else (docs/events.md).
    this.options.out.write(`${JSON.stringify({ v: EVENTS_SCHEMA_VERSION, ...value })}\n`);
  }

  /** Stops the live line so the final summary starts on a clean line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clearLive();
  }

  private goalChanged(goal: Goal): void {
    this.goal = goal;
    const state = `${goal.status}|${goal.phase ?? ''}|${goal.iteration}`;
    if (state !== this.lastState) {
      this.lastState = state;
      this.json({ type: 'state', goalId: goal.id, status: goal.status, phase: goal.phase, iteration: goal.iteration, tokens: goal.usage.total.tokens, costUsd: goal.usage.total.costUsd });
    }
    this.redraw();
  }

  private status(event: StatusEvent): void {
    if (this.silenced || RANK[this.options.logLevel] > RANK.info) return;
    if (this.options.mode === 'json') {
      this.json({ type: 'status', at: event.at.toISOString(), goalId: event.goalId, phase: event.phase, message: event.message });
      return;
    }
    this.line(this.options.out, `${clock(event.at)} ${event.phase.padEnd(7)} ${event.message}`);
  }

  private modelTrace(info: ModelTrace): void {
    if (this.silenced || this.options.logLevel !== 'debug') return;
    const { usage } = info;
    const tokens = usage.inputTokens - usage.cachedInputTokens + usage.outputTokens;
    if (this.options.mode === 'json') {
      this.json({ type: 'model', role: info.role, model: info.model, step: info.step, tokens, usage, toolCalls: info.toolCalls });
      return;
    }
    const calls = info.toolCalls.length > 0 ? ` → ${info.toolCalls.join(', ')}` : ' → text only';
    this.line(this.options.out, `debug   model ${info.role} ${info.model} step ${info.step}: ${tokens} tokens (input ${usage.inputTokens}, cached ${usage.cachedInputTokens}, output ${usage.outputTokens})${calls}`);
  }

  private toolTrace(info: ToolTrace): void {
    if (this.silenced || this.options.logLevel !== 'debug') return;
    const redacted = redactSecrets(info.arguments, this.options.secrets ?? []);
    const args = redacted.length > TRACE_ARGS_MAX ? `${redacted.slice(0, TRACE_ARGS_MAX)}…` : redacted;
    if (this.options.mode === 'json') {
      this.json({ type: 'tool', role: info.role, name: info.name, arguments: args, ok: info.ok });
      return;
    }
    this.line(this.options.out, `debug   tool ${info.role} ${info.name} ${args.replace(/\s+/g, ' ')} ${info.ok ? 'ok' : 'failed'}`);
  }

  private commandOutput(chunk: string, origin: 'agent' | 'check'): void {
    if (this.silenced || this.options.logLevel !== 'debug') return;
    if (this.options.mode === 'json') {
      this.json({ type: 'output', origin, chunk });
      return;
    }
    const text = chunk.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => `        │ ${l}`).join('\n');
    this.line(this.options.out, text);
  }

  private line(stream: OutStream, text: string): void {
    this.clearLive();
    stream.write(`${text}\n`);
    this.redraw();
  }

  private clearLive(): void {
    if (this.liveShown) {
      this.options.out.write('\r\x1b[2K');
      this.liveShown = false;
    }
  }

  /** The live line: spinner, phase, current task, tokens/budget, dollars, elapsed time. */
  liveText(): string {
    const goal = this.goal;
    if (!goal) return `${SPINNER[this.frame % SPINNER.length]} starting…`;
    const phase: Phase | string = goal.status === 'pursuing' ? goal.phase ?? 'plan' : goal.status;
    const task = goal.backlog.find((t) => t.status === 'in-progress');
    const parts = [
      `${SPINNER[this.frame % SPINNER.length]} ${phase}`,
      `iter ${goal.iteration}`,
      task ? `${task.id} ${task.title}` : `${goal.backlog.filter((t) => t.status === 'done').length}/${goal.backlog.length} tasks done`,
      formatBudget(goal.usage.total.tokens, goal.budget.tokenBudget),
      formatUsd(goal.usage.total.costUsd),
      formatDuration(Date.now() - this.startedAt),
    ];
    return parts.join(' · ');
  }

  private redraw(): void {
    if (this.options.mode !== 'tty' || this.timer === null) return;
    this.frame++;
    const width = (this.options.out.columns ?? 100) - 1;
    this.options.out.write(`\r\x1b[2K${fit(this.liveText(), width)}`);
    this.liveShown = true;
  }
}
