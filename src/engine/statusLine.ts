// goal_status.log lines (PRODUCT.md F5): one event = one human-readable line, `time  goal  phase  message`.
// The message is escaped so a multi-line message can never split an event or forge a second line.
import type { StatusEvent } from './ports';

const PHASES: readonly string[] = ['plan', 'act', 'test', 'review', 'iterate', 'goal'];
// Phases are padded to one width so the messages line up when a human reads the file.
const PHASE_WIDTH = 7;
const SEP = '  ';

/** Escapes backslashes and control characters so the message stays on one line. */
export function escapeStatusMessage(message: string): string {
  return message.replace(/[\\\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** Reverses escapeStatusMessage. */
export function unescapeStatusMessage(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[\\nrt])/g, (_m, e: string) => {
    switch (e) {
      case '\\': return '\\';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      default: return String.fromCharCode(parseInt(e.slice(1), 16));
    }
  });
}

/** One goal_status.log line, without the trailing newline. */
export function formatStatusLine(e: StatusEvent): string {
  // The id must stay one field; goal ids never contain spaces, but a hand-built event might.
  const goalId = e.goalId.replace(/\s+/g, '_') || '-';
  // ISO 8601 UTC on purpose: lines are parsed (parseStatusLine, the panel's activity tail, the report), and
  // what people read shows the time through src/timeFormat.ts instead.
  return [e.at.toISOString(), goalId, e.phase.padEnd(PHASE_WIDTH), escapeStatusMessage(e.message)].join(SEP);
}

/** Parses a line written by formatStatusLine; null for anything else (a hand edit, a torn last line). */
export function parseStatusLine(line: string): StatusEvent | null {
  const text = line.replace(/\r$/, '');
  const m = /^(\S+) {2}(\S+) {2}(\S+)/.exec(text);
  if (!m) return null;
  const [, time, goalId, phase] = m;
  if (!PHASES.includes(phase)) return null;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(time)) return null;
  const at = new Date(time);
  if (Number.isNaN(at.getTime())) return null;
  // The padding after the phase is known, so a message that starts with spaces keeps them.
  const padding = ' '.repeat(Math.max(0, PHASE_WIDTH - phase.length) + SEP.length);
  const rest = text.slice(m[0].length);
  let message: string;
  if (rest.startsWith(padding)) message = unescapeStatusMessage(rest.slice(padding.length));
  else if (rest.trim() === '') message = ''; // an empty message whose trailing spaces an editor trimmed
  else return null;
  return { at, goalId, phase: phase as StatusEvent['phase'], message };
}
