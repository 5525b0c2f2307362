// Text that goes into goal_status.log lines (task summaries, review notes, the wrap-up).

/** A summary or note longer than this is cut in the log line; the goal record keeps it whole. */
export const LOG_TEXT_MAX = 2000;

/** `text` trimmed and cut to LOG_TEXT_MAX characters (the status line escapes its newlines). */
export function clip(text: string): string {
  const t = text.trim();
  return t.length > LOG_TEXT_MAX ? `${t.slice(0, LOG_TEXT_MAX - 1)}…` : t;
}
