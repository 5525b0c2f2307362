// The live view of F13: the step the agent is on now — the role's request and its streamed text, the
// tool call and its target, the running command with a link to its output in the Goalpost terminal,
// and "retrying in N s (k/5)" while a failed request is retried.
import type { LiveView } from '../src/protocol';
import { actionButton } from './controls';
import { custom, el, setHidden, setText } from './dom';
import { send } from './host';

const ROLE_NAMES: Record<string, string> = { planner: 'Planner', actor: 'Actor', reviewer: 'Reviewer', compaction: 'Compaction' };

/** The one-line description of the step (exported for tests). */
export function stepLine(v: LiveView): string {
  const who = v.role ? ROLE_NAMES[v.role] ?? v.role : 'Goalpost';
  switch (v.kind) {
    case 'thinking':
      return v.label && v.target !== 'check' ? `${who} is answering… (after ${v.label}${v.target && v.target !== 'agent' ? ` ${v.target}` : ''})` : `${who} is answering…`;
    case 'tool':
      return `${who}: ${v.label}${v.target ? ` ${v.target}` : ''}`;
    case 'command':
      return v.commandRunning
        ? `${v.target === 'check' ? 'Checking' : `${who} runs`}: ${v.label}`
        : `${v.target === 'check' ? 'Checked' : `${who} ran`}: ${v.label}`;
    case 'retry':
      return v.retry ? `Retrying in ${v.retry.seconds} s (${v.retry.attempt}/${v.retry.maxAttempts})` : 'Retrying…';
    case 'idle':
      return '';
  }
}

export class LiveStepView {
  readonly root: HTMLElement;
  private readonly line = el('span', { class: 'live-line' });
  private readonly ring = custom('vscode-progress-ring', { class: 'ring', 'aria-label': 'Working' });
  private readonly retryDetail = el('p', { class: 'live-retry warning' });
  private readonly text = el('pre', { class: 'live-text', 'aria-label': 'The model\'s text for this turn' });
  private readonly output: HTMLElement;
  private view: LiveView | null = null;
  private active = false;

  constructor() {
    this.output = actionButton('Show Output', 'terminal', () => send({ type: 'showTerminal' }));
    this.output.setAttribute('aria-label', 'Show the running command\'s output in the Goalpost terminal');
    this.root = el('section', { class: 'live', 'aria-label': 'Current step', 'aria-live': 'polite' },
      el('div', { class: 'live-head' }, this.ring, this.line, this.output),
      this.retryDetail,
      this.text);
    this.render();
  }

  /** The goal is running (the live view shows) or not (it hides). */
  setActive(active: boolean): void {
    this.active = active;
    this.render();
  }

  update(view: LiveView): void {
    this.view = view;
    this.render();
  }

  private render(): void {
    const v = this.view;
    const shown = this.active && v !== null && v.kind !== 'idle';
    setHidden(this.root, !shown);
    if (!shown || !v) return;
    setText(this.line, stepLine(v));
    this.root.dataset.kind = v.kind;
    setHidden(this.output, v.kind !== 'command');
    setHidden(this.retryDetail, v.kind !== 'retry' || !v.retry);
    setText(this.retryDetail, v.retry?.message ?? '');
    setText(this.text, v.text);
    setHidden(this.text, v.text.trim() === '');
    if (!this.text.hidden) this.text.scrollTop = this.text.scrollHeight;
  }
}
