// Words for people: counted nouns in the right number ("1 task", "2 tasks", never "task(s)"), and text
// cut at a word boundary with an ellipsis (an objective in a notification, a dialog, a log line).

/** `plural(1, 'task')` → "1 task"; `plural(2, 'task')` → "2 tasks"; irregular: `plural(2, 'match', 'matches')`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * The first non-empty line of `text`, at most `max` characters, cut at the last word boundary with "…"
 * (a word longer than the limit is cut inside it rather than showing nothing).
 */
export function shorten(text: string, max = 80): string {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  if (line.length <= max) return line;
  const room = line.slice(0, max - 1);
  const space = room.search(/\s\S*$/);
  const cut = space > max / 2 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.–—-]+$/, '')}…`;
}
