// The Goalpost panel: renders the host's state and sends intents. It never holds truth: every button
// sends a message the host validates, and the next push shows its effect.
import { HostMessage } from '../src/protocol';
import './elements';
import { send } from './host';
import { PanelView } from './panelView';

const root = document.getElementById('root') as HTMLElement;
const panel = new PanelView(root);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessage.safeParse(event.data);
  if (!parsed.success) return;
  panel.apply(parsed.data);
});

send({ type: 'ready' });
