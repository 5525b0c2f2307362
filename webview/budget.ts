// The budget gauge: tokens used of the budget (coloured from 80 % and at 100 %), dollars, requests,
// the forecast to finish, and the chart. Usage ticks update only the figures that moved.
import type { GoalView, PointView, UsageView } from '../src/protocol';
import { axesText, chart } from './chart';
import { el, setAttr, setClass, setHidden, setText } from './dom';
import { compact, money } from './format';

/** ok below 80 %, warn from 80 %, exhausted from 100 % (the engine's thresholds). */
export function levelOf(u: UsageView): 'ok' | 'warn' | 'exhausted' {
  if (u.budget === null) return 'ok';
  if (u.tokens >= u.budget) return 'exhausted';
  return u.tokens * 5 >= u.budget * 4 ? 'warn' : 'ok';
}

export class BudgetView {
  readonly root: HTMLElement;
  private readonly meter: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly used = el('span', { class: 'used' });
  private readonly percent = el('span', { class: 'percent' });
  private readonly cost = el('span', { class: 'cost' });
  private readonly requests = el('span', { class: 'requests' });
  private readonly forecast = el('p', { class: 'forecast' });
  private readonly chartSlot = el('div', { class: 'chart-slot' });
  private readonly legend = el('p', { class: 'legend' },
    el('span', { class: 'key bar-key', 'aria-hidden': 'true' }), ' tokens per iteration ',
    el('span', { class: 'key line-key', 'aria-hidden': 'true' }), ' tasks done');
  private chartSig = '';
  private readonly axes = el('p', { class: 'legend axes' });
  /** The goal stopped at its budget: the gauge shows the stop whatever the fraction (a stop at 73 % is a stop). */
  private stopped = false;
  private readonly notice = el('p', { class: 'budget-notice', role: 'status' });

  constructor() {
    this.fill = el('div', { class: 'fill' });
    this.meter = el('div', { class: 'gauge ok', role: 'meter', 'aria-label': 'Token budget used', 'aria-valuemin': '0' }, this.fill);
    this.root = el('section', { class: 'budget', 'aria-label': 'Budget' },
      this.meter,
      this.notice,
      el('p', { class: 'figures' }, this.used, ' ', this.percent, ' · ', this.cost, ' · ', this.requests),
      this.forecast, this.chartSlot, this.axes, this.legend);
  }

  /** Updates the figures from a usage view (a whole state or a tick). */
  setUsage(u: UsageView): void {
    const level = this.stopped ? 'exhausted' : levelOf(u);
    const fraction = u.budget ? Math.min(1, u.tokens / u.budget) : 0;
    for (const l of ['ok', 'warn', 'exhausted']) setClass(this.meter, l, l === level);
    // CSSOM, not a style attribute: the CSP forbids inline style attributes.
    const width = `${(fraction * 100).toFixed(1)}%`;
    if (this.fill.style.width !== width) this.fill.style.width = width;
    setAttr(this.meter, 'aria-valuemax', String(u.budget ?? u.tokens));
    setAttr(this.meter, 'aria-valuenow', String(u.tokens));
    setAttr(this.meter, 'aria-valuetext', u.budget === null ? `${u.tokens} tokens, no limit` : `${u.tokens} of ${u.budget} tokens`);
    setText(this.used, u.budget === null ? `${compact(u.tokens)} tokens (no limit)` : `${compact(u.tokens)} / ${compact(u.budget)} tokens`);
    setText(this.percent, u.budget === null ? '' : `(${Math.floor((u.tokens / u.budget) * 100)} %)`);
    setText(this.cost, this.priceKnown || u.costUsd > 0 ? money(u.costUsd) : 'price unknown');
    const pct = u.budget ? Math.floor((u.tokens / u.budget) * 100) : 0;
    const notice = this.stopped
      ? `Stopped at the token budget (${pct} % used: the next request would not fit). Raise the budget to continue.`
      : level === 'warn' ? `Warning: ${pct} % of the token budget is used.` : '';
    setText(this.notice, notice);
    setHidden(this.notice, notice === '');
    setClass(this.notice, 'warning', notice !== '');
    setText(this.requests, `${u.requests} request${u.requests === 1 ? '' : 's'}`);
    let forecast = '';
    if (u.forecastTokens !== null && u.forecastTokens > 0) {
      const over = u.budget !== null && u.tokens + u.forecastTokens > u.budget;
      forecast = `Forecast to finish: ~${compact(u.forecastTokens)} tokens${u.forecastCostUsd !== null ? ` (${money(u.forecastCostUsd)})` : ''}${over ? ' — more than the budget left' : ''}`;
      setClass(this.forecast, 'over', over);
    }
    setText(this.forecast, forecast);
    setHidden(this.forecast, forecast === '');
  }

  /** Redraws the chart only when the iteration points changed. */
  setPoints(points: readonly PointView[]): void {
    const sig = JSON.stringify(points);
    if (sig === this.chartSig) return;
    this.chartSig = sig;
    this.chartSlot.replaceChildren(chart(points));
    setText(this.axes, axesText(points));
    setHidden(this.axes, points.length === 0);
  }

  private priceKnown = true;

  update(g: GoalView): void {
    this.stopped = g.status === 'budget-limited';
    this.priceKnown = g.priceKnown !== false;
    this.setUsage(g);
    this.setPoints(g.points);
  }
}
