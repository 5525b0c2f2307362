// Reads a server-sent-events body one event at a time, with an idle timeout: a server that stops
// sending bytes for `idleMs` ends the read with IdleTimeout instead of holding the goal forever. Read
// here rather than through the SDK's stream so that `[DONE]`, error events and silence are all seen.

/** One event: its `event:` name (default "message") and its joined `data:` lines. */
export interface SseEvent {
  event: string;
  data: string;
}

/** No byte arrived for the idle timeout. */
export class IdleTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`no data for ${seconds} s`);
    this.name = 'IdleTimeout';
  }
}

/** Resolves `p`, or rejects with IdleTimeout after `ms`; `onTimeout` runs first (to cancel the read). */
export function withIdleTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected before cancelling, so the race ends with IdleTimeout rather than the cancel's AbortError.
      reject(new IdleTimeout(Math.round(ms / 100) / 10));
      onTimeout();
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Events of `body`, in order. Cancelling the iteration (break / return) releases the body. */
export async function* sseEvents(body: ReadableStream<Uint8Array>, idleMs: number, onIdle: () => void): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = 'message';
  try {
    for (;;) {
      const { done, value } = await withIdleTimeout(reader.read(), idleMs, onIdle);
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone \r at the end may be the first half of \r\n: wait for the next bytes.
        if (!done && nl === buffer.length - 1 && buffer[nl] === '\r') break;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { event, data: data.join('\n') };
          data = [];
          event = 'message';
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(text);
        else if (field === 'event') event = text;
      }
      if (done) {
        // A last event without its blank line still counts.
        if (buffer !== '' && buffer.startsWith('data:')) data.push(buffer.slice(5).replace(/^ /, ''));
        if (data.length > 0) yield { event, data: data.join('\n') };
        return;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
