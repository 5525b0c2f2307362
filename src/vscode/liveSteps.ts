// The live view's state per folder (F13), built from the engine's step events: the role's request and
// its streamed text, the tool call and its target, the running command, a retry being waited out.
// Streamed text arrives in many small deltas; changes go out at most every TEXT_FLUSH_MS.
import type { StepEvent } from '../engine/loop/deps';
import type { LiveView } from '../protocol';

/** The turn's text shown live is capped to its tail. */
export const LIVE_TEXT_MAX = 1500;
const TEXT_FLUSH_MS = 120;

function idle(folder: string): LiveView {
  return { folder, kind: 'idle', role: null, label: '', target: '', text: '', retry: null, commandRunning: false };
}

/** Applies one step event to the folder's live view (pure, exported for tests). */
export function applyStep(view: LiveView, event: StepEvent): LiveView {
  switch (event.kind) {
    case 'request':
      // A new request: the text of the turn so far stays (it is one turn), the retry is over.
      // The last tool call of the turn stays named ("after write_file src/calc.js") while the model answers.
      return view.role === event.role
        ? { ...view, kind: 'thinking', retry: null, commandRunning: false, text: view.text === '' || /\s$/.test(view.text) ? view.text : `${view.text}\n` }
        : { ...view, kind: 'thinking', role: event.role, label: '', target: '', retry: null, commandRunning: false, text: '' };
    case 'text':
      return { ...view, kind: view.kind === 'retry' ? 'thinking' : view.kind, role: event.role, text: (view.text + event.delta).slice(-LIVE_TEXT_MAX), retry: null };
    case 'tool':
      return { ...view, kind: 'tool', role: event.role, label: event.name, target: event.target, retry: null, commandRunning: false };
    case 'command':
      return event.running
        ? { ...view, kind: 'command', label: event.command, target: event.origin, retry: null, commandRunning: true, ...(event.origin === 'check' ? { role: null, text: '' } : {}) }
        : { ...view, commandRunning: false };
    case 'retry':
      return { ...view, kind: 'retry', role: event.role, retry: { seconds: Math.round(event.delayMs / 100) / 10, attempt: event.attempt, maxAttempts: event.maxAttempts, message: event.message } };
    case 'idle':
      return idle(view.folder);
  }
}

export class LiveSteps {
  private readonly views = new Map<string, LiveView>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly fire: (view: LiveView) => void) {}

  apply(folder: string, event: StepEvent): void {
    const next = applyStep(this.views.get(folder) ?? idle(folder), event);
    this.views.set(folder, next);
    if (event.kind !== 'text') {
      this.flush(folder);
      return;
    }
    if (this.timers.has(folder)) return;
    this.timers.set(folder, setTimeout(() => this.flush(folder), TEXT_FLUSH_MS));
  }

  /** The current view of every folder that has one. */
  all(): LiveView[] {
    return [...this.views.values()];
  }

  private flush(folder: string): void {
    const timer = this.timers.get(folder);
    if (timer) clearTimeout(timer);
    this.timers.delete(folder);
    const view = this.views.get(folder);
    if (view) this.fire(view);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
