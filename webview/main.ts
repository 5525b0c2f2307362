// The Goalpost panel: renders the host's state and sends intents. It never holds truth: every button
// sends a message the host validates, and the next push shows its effect.
import * as l10n from '@vscode/l10n';
import { HostMessage } from '../src/protocol';
import './elements';
import { send } from './host';
import { PanelView } from './panelView';

const root = document.getElementById('root') as HTMLElement;
// Built on the first message after the bundle: views look their strings up when they are built.
let panel: PanelView | null = null;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessage.safeParse(event.data);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'l10n') {
    // No bundle (English): l10n.t returns the source strings.
    if (!panel && message.bundle) l10n.config({ contents: message.bundle });
    return;
  }
  panel ??= new PanelView(root);
  panel.apply(message);
});

send({ type: 'ready' });
