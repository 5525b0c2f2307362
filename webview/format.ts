// Number, money and time formats of the panel.
import { formatTime } from '../src/timeFormat';

/** 1234 → 1.2k, 2500000 → 2.5M. */
export function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(n >= 10_000 ? 0 : 1)}k`;
  return String(Math.round(n));
}

/** Dollars with cents (sub-cent amounts show as <$0.01). */
export function money(usd: number): string {
  if (usd > 0 && usd < 0.01) return '<$0.01';
  return `$${usd.toFixed(2)}`;
}

/** 75 s → "1m 15s", 3 h → "3h 0m". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

/** A command's run time: 0.6 s, 12.3 s, then as duration() (a 0.6 s check never reads "0s"). */
export function seconds(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  return duration(ms);
}

/** An ISO time in Goalpost's one time format (src/timeFormat.ts): the local clock, dated when not today. */
export function when(iso: string | null): string {
  return iso ? formatTime(iso, new Date()) : '';
}

/** The first line of a text, shortened at a word boundary with an ellipsis. */
export function firstLine(text: string, max = 120): string {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  if (line.length <= max) return line;
  const room = line.slice(0, max - 1);
  const space = room.search(/\s\S*$/);
  return `${(space > max / 2 ? room.slice(0, space) : room).replace(/[\s,;:.–—-]+$/, '')}…`;
}
