// Labels every goal_status.log line of the demo (and every status event shown live) with DEMO, so a
// scripted session is never mistaken for real work in the log or the activity view.
import { DEMO_LABEL } from '../../engine/demo';
import type { EngineObserver } from '../../engine/loop/deps';
import type { StatusEvent, StatusLog } from '../../engine/ports';

function labelled(event: StatusEvent): StatusEvent {
  return event.message.startsWith(`${DEMO_LABEL} `) ? event : { ...event, message: `${DEMO_LABEL} ${event.message}` };
}

/** A StatusLog that writes `DEMO <message>`. */
export class DemoStatusLog implements StatusLog {
  constructor(private readonly inner: StatusLog) {}

  append(event: StatusEvent): Promise<void> {
    return this.inner.append(labelled(event));
  }
}

/** The same observer, with its status events labelled DEMO. */
export function demoObserver(inner: EngineObserver | undefined): EngineObserver | undefined {
  if (!inner) return undefined;
  return { ...inner, status: inner.status ? (event): void => inner.status?.(labelled(event)) : undefined };
}
