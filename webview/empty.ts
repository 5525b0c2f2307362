// The empty state (F6, F11): what Goalpost does, then — without a model — the three ways on: an OpenAI
// key, a local OpenAI-compatible server (presets, Test Connection), or the clearly labelled offline
// demo. With a model: Set Goal and a goal template. In Restricted Mode: why, and the way to trust.
import * as l10n from '@vscode/l10n';
import { LOCAL_SERVER_PRESETS, type ConnectionResult, type SetupView } from '../src/protocol';
import { actionButton, commandButton } from './controls';
import { custom, el, setHidden, setText } from './dom';
import { send } from './host';

// Stays English: its section headings are the ones the goal-file parser reads.
const TEMPLATE = `# Make the date parser accept ISO week dates

## Acceptance criteria
- parse("2024-W05-3") returns 2024-01-31
- invalid weeks are rejected with a clear error

## Non-goals
- no new dependencies

## Validation
npm test`;

function demoBlock(): HTMLElement {
  return el('div', { class: 'way demo', 'data-way': 'demo' },
    el('h3', {}, custom('vscode-badge', { class: 'demo-badge' }, l10n.t('DEMO')), ' ', l10n.t('Try the offline demo')),
    el('p', {}, l10n.t('A scripted session on a small sample project: real files, real checks and real commits on a goalpost/demo-… branch, in about a minute. No model, no network, no tokens.')),
    el('div', { class: 'controls' }, actionButton(l10n.t('Play the Demo'), 'play-circle', () => send({ type: 'startDemo' }))));
}

/** The local-server chooser: presets fill the address; Use sets goalpost.baseUrl; Test runs the check. */
class LocalServerChooser {
  readonly root: HTMLElement;
  private readonly input = el('input', { type: 'url', class: 'url', id: 'local-url', spellcheck: 'false', 'aria-label': l10n.t('Local server address'), placeholder: LOCAL_SERVER_PRESETS[0].baseUrl });
  private readonly results = el('ul', { class: 'connection', 'aria-live': 'polite', 'aria-label': l10n.t('Connection check') });
  private readonly problem = el('p', { class: 'warning', role: 'alert' });
  private preset: string | undefined;

  constructor() {
    this.input.value = LOCAL_SERVER_PRESETS[0].baseUrl;
    this.preset = LOCAL_SERVER_PRESETS[0].id;
    this.input.addEventListener('input', () => {
      this.preset = LOCAL_SERVER_PRESETS.find((p) => p.baseUrl === this.input.value.trim())?.id;
      setHidden(this.problem, true);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.use();
    });
    const presets = el('div', { class: 'presets', role: 'group', 'aria-label': l10n.t('Local server presets') },
      ...LOCAL_SERVER_PRESETS.map((p) => {
        const b = el('button', { class: 'preset', type: 'button', 'data-preset': p.id, title: p.baseUrl }, p.name);
        b.addEventListener('click', () => {
          this.input.value = p.baseUrl;
          this.preset = p.id;
          setHidden(this.problem, true);
          this.input.focus();
        });
        return b;
      }));
    setHidden(this.problem, true);
    setHidden(this.results, true);
    this.root = el('div', { class: 'way local', 'data-way': 'local' },
      el('h3', {}, l10n.t('Use a local server (no key)')),
      el('p', {}, l10n.t('Any OpenAI-compatible server on this machine: pick one, check the address, then use it.')),
      presets,
      el('label', { for: 'local-url', class: 'hint' }, l10n.t('Server address (goalpost.baseUrl)')),
      this.input,
      this.problem,
      el('div', { class: 'controls' },
        actionButton(l10n.t('Use This Server'), 'plug', () => this.use(), false),
        actionButton(l10n.t('Test Connection'), 'pulse', () => this.test(), false)),
      this.results);
  }

  private address(): string | null {
    const value = this.input.value.trim();
    try {
      const u = new URL(value);
      if (u.protocol === 'http:' || u.protocol === 'https:') return value;
    } catch {
      // shown below
    }
    setText(this.problem, l10n.t('Enter an http:// or https:// address, such as {0}.', 'http://localhost:11434/v1'));
    setHidden(this.problem, false);
    return null;
  }

  private use(): void {
    const baseUrl = this.address();
    if (baseUrl) send({ type: 'useLocalServer', baseUrl, ...(this.preset ? { preset: this.preset } : {}) });
  }

  private test(): void {
    const baseUrl = this.address();
    if (baseUrl) send({ type: 'testConnection', baseUrl });
  }

  showConnection(result: ConnectionResult | null): void {
    setHidden(this.results, false);
    if (!result) {
      this.results.replaceChildren(el('li', { class: 'running' }, custom('vscode-progress-ring', { class: 'ring', 'aria-label': l10n.t('Checking') }), ' ', l10n.t('Checking the connection…')));
      return;
    }
    // The lines come from the connection check (English, shared with the CLI).
    this.results.replaceChildren(...result.lines.map((l) =>
      el('li', { class: `line ${l.ok ? 'pass' : 'fail'}` },
        custom('vscode-icon', { name: l.ok ? 'pass' : 'error', 'aria-label': l.ok ? l10n.t('works') : l10n.t('fails') }),
        ' ', el('strong', {}, l.check), `: ${l.detail}`,
        ...(l.fix ? [el('div', { class: 'fix' }, l.fix)] : []))));
  }
}

/** The panel without a goal; updated in place as the key, endpoint and trust change. */
export class EmptyState {
  readonly root: HTMLElement;
  private readonly restricted: HTMLElement;
  private readonly connected: HTMLElement;
  private readonly ways: HTMLElement;
  private readonly modelLine = el('p', { class: 'model-line hint' });
  private readonly local = new LocalServerChooser();

  constructor() {
    this.restricted = el('div', { class: 'restricted' },
      el('p', { class: 'warning' }, l10n.t('Goalpost is disabled in Restricted Mode: it edits files and runs commands, so it only works in a trusted workspace.')),
      el('div', { class: 'controls' }, actionButton(l10n.t('Manage Workspace Trust'), 'shield', () => send({ type: 'manageTrust' }), true)));
    this.connected = el('div', { class: 'connected' },
      el('div', { class: 'controls' }, commandButton(l10n.t('Set Goal'), 'target', 'setGoal', undefined, true), actionButton(l10n.t('Write from template'), 'file-text', () => send({ type: 'openTemplate' }))),
      this.modelLine,
      el('div', { class: 'controls' }, actionButton(l10n.t('Play the Offline Demo'), 'play-circle', () => send({ type: 'startDemo' }))));
    this.ways = el('div', { class: 'ways', role: 'group', 'aria-label': l10n.t('Three ways to start') },
      el('h3', { class: 'ways-title' }, l10n.t('Connect a model — three ways on')),
      el('div', { class: 'way key', 'data-way': 'key' },
        el('h3', {}, l10n.t('Use an OpenAI API key')),
        el('p', {}, l10n.t('Kept in VS Code\'s secret storage, never in settings, logs or commits.')),
        el('div', { class: 'controls' }, commandButton(l10n.t('Set API Key'), 'key', 'setApiKey', undefined, true))),
      this.local.root,
      demoBlock());
    this.root = el('section', { class: 'empty', 'aria-label': l10n.t('No goal yet') },
      el('h2', {}, l10n.t('Pursue a coding goal')),
      el('p', {}, l10n.t('Goalpost plans, acts, runs your checks, reviews its own work and iterates until the goal is verified achieved, proven unmet, or its token budget runs out. Every finished task is a small, tested, reviewed commit, and you can pause it at any moment.')),
      this.restricted,
      this.connected,
      this.ways,
      el('p', { class: 'hint' }, l10n.t('A good goal names its acceptance criteria and a validation command. A goal file looks like this:')),
      el('pre', { class: 'template', 'aria-label': l10n.t('Goal template') }, TEMPLATE));
    this.update(true, null);
  }

  /** `setup` null: not known yet (treated as connected, so nothing flashes). */
  update(trusted: boolean, setup: SetupView | null): void {
    const hasModel = setup === null || setup.hasKey || setup.local;
    setHidden(this.restricted, trusted);
    setHidden(this.connected, !trusted || !hasModel);
    setHidden(this.ways, !trusted || hasModel);
    if (setup) {
      setText(this.modelLine, setup.local
        ? l10n.t('Model: the local server at {0}.', setup.baseUrl)
        : setup.baseUrl !== '' ? l10n.t('Model: {0} with your API key.', setup.baseUrl) : l10n.t('Model: OpenAI, with your API key.'));
    }
  }

  showConnection(result: ConnectionResult | null): void {
    this.local.showConnection(result);
  }
}
