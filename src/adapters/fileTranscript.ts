// The per-goal transcript: one JSON line per request or response, every string redacted first, so an
// API key that slipped into a message, a tool result or an error never reaches the disk.
import type { Transcript } from '../engine/ports';
import { redactSecrets } from '../engine/redact';
import { LineAppender } from './lineAppender';

/** The secrets to redact: a list, or a function read at every append (the key can change while running). */
export type SecretSource = readonly string[] | (() => readonly string[]);

/** A Transcript writing JSON lines to a file at an absolute path. */
export class FileTranscript implements Transcript {
  private readonly lines: LineAppender;

  constructor(
    readonly filePath: string,
    private readonly secrets: SecretSource = [],
  ) {
    this.lines = new LineAppender(filePath);
  }

  append(entry: Record<string, unknown>): Promise<void> {
    const secrets = typeof this.secrets === 'function' ? this.secrets() : this.secrets;
    return this.lines.append(serializeRedacted(entry, secrets));
  }
}

/** JSON text of `value` with every string (keys included) passed through redactSecrets. */
export function serializeRedacted(value: unknown, secrets: readonly string[]): string {
  return JSON.stringify(redactDeep(value, secrets, new WeakSet())) ?? 'null';
}

function redactDeep(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (value instanceof Error) {
      return { name: value.name, message: redactSecrets(value.message, secrets), stack: value.stack ? redactSecrets(value.stack, secrets) : undefined };
    }
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactSecrets(k, secrets)] = redactDeep(v, secrets, seen);
    return out;
  } finally {
    // Only true cycles are cut; the same object referenced twice is written twice.
    seen.delete(value);
  }
}
