// The live view of F13: the step the agent is on now — the role's request and its streamed text, the
// tool call and its target, the running command with a link to its output in the Goalpost terminal,
// and "retrying in N s (k/5)" while a failed request is retried.
import * as l10n from '@vscode/l10n';
import type { LiveView } from '../src/protocol';
import { actionButton } from './controls';
import { custom, el, setHidden, setText } from './dom';
import { send } from './host';

/** A role's name, in the user's language (an unknown role shows as it is). */
function roleName(role: string): string {
  switch (role) {
    case 'planner': return l10n.t('Planner');
    case 'actor': return l10n.t('Actor');
    case 'reviewer': return l10n.t('Reviewer');
    case 'compaction': return l10n.t('Compaction');
    default: return role;
  }
}

/** The one-line description of the step (exported for tests). */
export function stepLine(v: LiveView): string {
  const who = v.role ? roleName(v.role) : 'Goalpost';
  // Tool names, targets and command lines are shown as they are.
  switch (v.kind) {
    case 'thinking':
      return v.label && v.target !== 'check'
        ? l10n.t('{0} is answering… (after {1})', who, `${v.label}${v.target && v.target !== 'agent' ? ` ${v.target}` : ''}`)
        : l10n.t('{0} is answering…', who);
    case 'tool':
      return `${who}: ${v.label}${v.target ? ` ${v.target}` : ''}`;
    case 'command':
      if (v.target === 'check') return v.commandRunning ? l10n.t('Checking: {0}', v.label) : l10n.t('Checked: {0}', v.label);
      return v.commandRunning ? l10n.t('{0} runs: {1}', who, v.label) : l10n.t('{0} ran: {1}', who, v.label);
    case 'retry':
      return v.retry ? l10n.t('Retrying in {0} s ({1}/{2})', v.retry.seconds, v.retry.attempt, v.retry.maxAttempts) : l10n.t('Retrying…');
    case 'idle':
      return '';
  }
}

export class LiveStepView {
  readonly root: HTMLElement;
  private readonly line = el('span', { class: 'live-line' });
  private readonly ring = custom('vscode-progress-ring', { class: 'ring', 'aria-label': l10n.t('Working') });
  private readonly retryDetail = el('p', { class: 'live-retry warning' });
  private readonly text = el('pre', { class: 'live-text', 'aria-label': l10n.t('The model\'s text for this turn') });
  private readonly output: HTMLElement;
  private view: LiveView | null = null;
  private active = false;

  constructor() {
    this.output = actionButton(l10n.t('Show Output'), 'terminal', () => send({ type: 'showTerminal' }));
    this.output.setAttribute('aria-label', l10n.t('Show the running command\'s output in the Goalpost terminal'));
    this.root = el('section', { class: 'live', 'aria-label': l10n.t('Current step'), 'aria-live': 'polite' },
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
    // The retry's message is the model client's (English, like the log).
    setText(this.retryDetail, v.retry?.message ?? '');
    setText(this.text, v.text);
    setHidden(this.text, v.text.trim() === '');
    if (!this.text.hidden) this.text.scrollTop = this.text.scrollHeight;
  }
}
