// Buttons and collapsible sections built from vscode-elements, labelled for screen readers and
// keyboard use (vscode-button and vscode-collapsible are focusable and answer Enter and Space).
import * as l10n from '@vscode/l10n';
import type { PanelCommand } from '../src/protocol';
import { custom, setText } from './dom';
import { saveUiState, send, uiState } from './host';

/** A vscode-button that runs a goalpost.* command for a folder. */
export function commandButton(label: string, icon: string, command: PanelCommand, folder?: string, primary = false): HTMLElement {
  const b = custom('vscode-button', { icon, 'aria-label': label, 'data-command': command }, label);
  if (!primary) b.setAttribute('secondary', '');
  b.addEventListener('click', () => send({ type: 'command', command, folder }));
  return b;
}

/** A vscode-button with its own click handler. */
export function actionButton(label: string, icon: string, onClick: () => void, primary = false): HTMLElement {
  const b = custom('vscode-button', { icon, 'aria-label': label }, label);
  if (!primary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

/** A collapsible section whose open state survives hide/show. */
export class Section {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  private readonly count: HTMLElement;

  constructor(key: string, heading: string, defaultOpen: boolean, className: string) {
    const open = uiState.sections[key] ?? defaultOpen;
    this.count = custom('vscode-badge', { slot: 'decorations', variant: 'counter', 'aria-label': l10n.t('{0} count', heading) }, '0');
    this.body = document.createElement('div');
    this.body.className = `section-body ${className}`;
    this.root = custom('vscode-collapsible', { heading, class: `section ${className}`, 'data-section': className }, this.count, this.body);
    if (open) this.root.setAttribute('open', '');
    this.root.addEventListener('vsc-collapsible-toggle', (e: Event) => {
      uiState.sections[key] = (e as CustomEvent<{ open: boolean }>).detail.open;
      saveUiState();
    });
  }

  setCount(n: number): void {
    setText(this.count, String(n));
  }
}
