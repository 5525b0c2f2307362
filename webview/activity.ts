// The activity tail of goal_status.log: the host sends the last lines once, then only new lines; the
// list appends them and drops the oldest, so an update costs what it adds.
import * as l10n from '@vscode/l10n';
import { LOG_TAIL_LINES } from '../src/protocol';
import { commandButton, Section } from './controls';
import { el } from './dom';
import { when } from './format';

/** `time  goal  phase  message` → time (as every time in the panel, see when()), phase and message. */
function parts(line: string): { time: string; phase: string; message: string } {
  const m = /^(\S+)\s{2}\S+\s{2}(\S+)\s*\s{2}(.*)$/.exec(line);
  if (!m) return { time: '', phase: '', message: line };
  return { time: when(m[1]), phase: m[2], message: m[3] };
}

function lineItem(line: string): HTMLElement {
  const p = parts(line);
  return el('li', { title: line }, el('span', { class: 'time' }, p.time), ' ', el('span', { class: `phase-tag ${p.phase}` }, p.phase), ' ', el('span', { class: 'message' }, p.message));
}

export class ActivityView {
  readonly section: Section;
  private readonly list = el('ol', { class: 'log', 'aria-label': l10n.t('Recent goal_status.log lines') });
  private count = 0;

  constructor(folder: string) {
    this.section = new Section(`activity:${folder}`, l10n.t('Activity'), true, 'activity');
    // The lines themselves are goal_status.log's (the engine's, English).
    this.section.body.append(this.list, el('div', { class: 'links' }, commandButton(l10n.t('Open full log'), 'output', 'openLog', folder)));
  }

  /** Appends lines (or replaces the tail when `reset`), keeping the last LOG_TAIL_LINES. */
  append(lines: readonly string[], reset: boolean): void {
    const fresh = lines.slice(-LOG_TAIL_LINES);
    if (reset) {
      this.list.replaceChildren(...fresh.map(lineItem));
      this.count = fresh.length;
    } else {
      const overflow = this.count + fresh.length - LOG_TAIL_LINES;
      for (let i = 0; i < overflow; i++) this.list.firstElementChild?.remove();
      this.list.append(...fresh.map(lineItem));
      this.count = Math.min(LOG_TAIL_LINES, this.count + fresh.length);
    }
    this.section.setCount(this.count);
    // The newest line is the one that matters: keep the tail scrolled to it.
    this.list.scrollTop = this.list.scrollHeight;
  }
}
