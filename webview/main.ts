// The Goalpost panel: renders the host's state and sends intents. It never holds truth: every button
// sends a command, and the next state push shows its effect.
import { HostMessage, type GoalView, type PanelCommand, type WebviewMessage } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
let shownVersion = -1;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function button(label: string, icon: string, command: PanelCommand, folder?: string, primary = false): HTMLButtonElement {
  const b = el('button', { type: 'button', class: primary ? 'primary' : 'secondary', 'aria-label': label, 'data-command': command },
    el('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }), ` ${label}`);
  b.addEventListener('click', () => vscode.postMessage({ type: 'command', command, folder }));
  return b;
}

function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)}k`;
  return String(Math.round(n));
}

function emptyState(trusted: boolean): HTMLElement {
  return el('section', { class: 'empty' },
    el('h2', {}, 'Pursue a coding goal'),
    el('p', {}, 'Goalpost plans, acts, runs your checks, reviews its own work and iterates until the goal is verified achieved, proven unmet, or its token budget runs out. Every finished task is a reviewable commit.'),
    trusted ? button('Set Goal', 'target', 'setGoal', undefined, true) : el('p', { class: 'warning' }, 'Goalpost only runs in a trusted workspace.'),
    el('p', { class: 'hint' }, 'A good goal names its acceptance criteria and a validation command (e.g. npm test).'),
  );
}

function statusLabel(g: GoalView): string {
  return g.interrupted ? 'interrupted' : g.status;
}

function gauge(g: GoalView): HTMLElement {
  const fraction = g.budget ? Math.min(1, g.tokens / g.budget) : 0;
  const level = fraction >= 1 ? 'exhausted' : fraction >= 0.8 ? 'warn' : 'ok';
  const bar = el('div', { class: `gauge ${level}`, role: 'meter', 'aria-label': 'Token budget used', 'aria-valuemin': '0', 'aria-valuemax': String(g.budget ?? 0), 'aria-valuenow': String(g.tokens) },
    el('div', { class: 'fill', style: `width:${(fraction * 100).toFixed(1)}%` }));
  const text = g.budget === null ? `${compact(g.tokens)} tokens (no limit)` : `${compact(g.tokens)} / ${compact(g.budget)} tokens`;
  const forecast = g.forecastTokens !== null ? ` · ~${compact(g.forecastTokens)} more to finish` : '';
  return el('section', { class: 'budget' }, bar, el('p', { class: 'figures' }, `${text} · $${g.costUsd.toFixed(2)} · ${g.requests} requests${forecast}`));
}

function backlog(g: GoalView): HTMLElement {
  const sections: [GoalView['tasks'][number]['status'], string][] = [['in-progress', 'In progress'], ['todo', 'To do'], ['done', 'Done'], ['blocked', 'Blocked']];
  const wrap = el('section', { class: 'backlog' }, el('h3', {}, 'Backlog'));
  for (const [status, title] of sections) {
    const tasks = g.tasks.filter((t) => t.status === status);
    const list = el('ul', {});
    for (const t of tasks) {
      const li = el('li', { class: status }, el('span', { class: 'task-id' }, t.id), ` ${t.title}`);
      if (t.attempts > 1) li.append(el('span', { class: 'meta' }, ` · ${t.attempts} attempts`));
      if (t.blockedReason) li.append(el('div', { class: 'meta' }, t.blockedReason));
      list.append(li);
    }
    wrap.append(el('details', status === 'done' ? {} : { open: '' }, el('summary', {}, `${title} (${tasks.length})`), list));
  }
  return wrap;
}

function goalCard(g: GoalView): HTMLElement {
  const controls = el('div', { class: 'controls' });
  if (g.status === 'pursuing' && !g.interrupted) controls.append(button('Pause', 'debug-pause', 'pause', g.folder, true));
  if (g.interrupted || ['paused', 'unmet', 'budget-limited'].includes(g.status)) controls.append(button('Resume', 'debug-start', 'resume', g.folder, true));
  controls.append(button('Edit Goal', 'edit', 'editGoal', g.folder), button('Raise Budget', 'arrow-up', 'raiseBudget', g.folder), button('Clear', 'clear-all', 'clear', g.folder));
  const phase = g.status === 'pursuing' && g.phase ? el('span', { class: 'phase' }, g.interrupted ? '' : el('span', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-hidden': 'true' }), ` ${g.phase}`) : '';
  return el('article', { class: 'goal', 'aria-label': `Goal ${g.id}` },
    el('header', {},
      el('span', { class: `badge ${statusLabel(g)}` }, statusLabel(g)), phase,
      el('span', { class: 'meta' }, ` iteration ${g.iteration}`)),
    el('details', { class: 'objective' }, el('summary', {}, g.objective.split('\n')[0]), el('pre', {}, g.objective)),
    g.reason ? el('p', { class: 'reason' }, g.reason) : '',
    controls,
    gauge(g),
    backlog(g),
    el('div', { class: 'links' }, button('Open Backlog', 'checklist', 'openBacklog', g.folder), button('Open Log', 'output', 'openLog', g.folder), button(`Agent Commits (${g.commits})`, 'git-commit', 'reviewCommits', g.folder)),
  );
}

function render(goals: GoalView[], trusted: boolean): void {
  const focused = document.activeElement?.getAttribute('data-command');
  root.replaceChildren(...(goals.length === 0 ? [emptyState(trusted)] : goals.map(goalCard)));
  // Keep keyboard focus on the same control across re-renders.
  if (focused) (root.querySelector(`[data-command="${focused}"]`) as HTMLElement | null)?.focus();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessage.safeParse(event.data);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'state') {
    if (message.version <= shownVersion) return; // a stale push
    shownVersion = message.version;
    render(message.goals, message.trusted);
  }
});

vscode.postMessage({ type: 'ready' });
