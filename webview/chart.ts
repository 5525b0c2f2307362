// The budget's small chart, as inline SVG (no chart library): bars of tokens spent per iteration and
// a line of tasks done over time, both scaled to the chart's box.
import * as l10n from '@vscode/l10n';
import type { PointView } from '../src/protocol';
import { compact } from './format';
import { svg } from './dom';

const W = 240;
const H = 56;
const PAD = 2;

/** The chart for the iteration points; a placeholder text before the first iteration ends. */
export function chart(points: readonly PointView[]): SVGElement {
  const last = compact(perIteration(points).at(-1) ?? 0);
  const done = points.at(-1)?.tasksDone ?? 0;
  const label = points.length === 0
    ? l10n.t('No iteration finished yet.')
    : points.length === 1
      ? l10n.t('Tokens per iteration and tasks done, over 1 iteration; last iteration {0} tokens, {1} tasks done.', last, done)
      : l10n.t('Tokens per iteration and tasks done, over {0} iterations; last iteration {1} tokens, {2} tasks done.', points.length, last, done);
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label });
  const title = svg('title');
  title.textContent = label;
  root.append(title);
  if (points.length === 0) return root;
  const spent = perIteration(points);
  const maxSpent = Math.max(1, ...spent);
  const maxDone = Math.max(1, ...points.map((p) => p.tasksDone));
  const slot = (W - PAD * 2) / points.length;
  // Capped, so a chart of one or two iterations does not turn into one wide block.
  const barWidth = Math.max(1, Math.min(slot * 0.7, 14));
  spent.forEach((tokens, i) => {
    const h = ((H - PAD * 2) * tokens) / maxSpent;
    root.append(svg('rect', { class: 'bar', x: (PAD + i * slot + (slot - barWidth) / 2).toFixed(1), y: (H - PAD - h).toFixed(1), width: barWidth.toFixed(1), height: Math.max(0.5, h).toFixed(1) }));
  });
  const coords = points.map((p, i) => `${(PAD + i * slot + slot / 2).toFixed(1)},${(H - PAD - ((H - PAD * 2) * p.tasksDone) / maxDone).toFixed(1)}`);
  root.append(svg('polyline', { class: 'done-line', points: coords.join(' '), fill: 'none' }));
  return root;
}

/** Tokens spent in each iteration (the points carry running totals). */
export function perIteration(points: readonly PointView[]): number[] {
  return points.map((p, i) => Math.max(0, p.tokens - (i > 0 ? points[i - 1].tokens : 0)));
}

/** The chart's axes and values in words, shown under it: the x range, the bar scale (tokens) and the line's value. */
export function axesText(points: readonly PointView[]): string {
  if (points.length === 0) return '';
  const spent = perIteration(points);
  const first = points[0].n;
  const last = points[points.length - 1];
  const range = first === last.n ? l10n.t('iteration {0}', last.n) : l10n.t('iterations {0}–{1}', first, last.n);
  const bars = l10n.t('bars: tokens per iteration, 0–{0} (last {1})', compact(Math.max(...spent)), compact(spent[spent.length - 1] ?? 0));
  const line = l10n.t('line: tasks done, 0–{0} (now {1})', Math.max(1, ...points.map((p) => p.tasksDone)), last.tasksDone);
  return `x: ${range} · ${bars} · ${line}`;
}
