// Small formatters shared by the progress display and `goalpost status`, so both read the same.

/** 1234567 → "1,234,567". */
export function formatTokens(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Dollars with cents, or four decimals under a cent so tiny local runs do not all read $0.00. */
export function formatUsd(n: number): string {
  return n > 0 && n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** "used / budget tok (n %)" or "used tok (no limit)". */
export function formatBudget(used: number, budget: number | null): string {
  if (budget === null) return `${formatTokens(used)} tok (no limit)`;
  return `${formatTokens(used)} / ${formatTokens(budget)} tok (${Math.floor((used / budget) * 100)} %)`;
}

/** 65000 → "1m05s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Cuts `text` to `width` columns with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 1 || text.length <= width) return text;
  return `${text.slice(0, width - 1)}…`;
}

/** Quotes a path for a shell command line only when it needs it. */
export function shellArg(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
