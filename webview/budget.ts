// The budget gauge: tokens used of the budget (coloured from 80 % and at 100 %), dollars, requests,
// the forecast to finish, and the chart. Usage ticks update only the figures that moved.
import * as l10n from '@vscode/l10n';
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
    el('span', { class: 'key bar-key', 'aria-hidden': 'true' }), ' ', l10n.t('tokens per iteration'), ' ',
    el('span', { class: 'key line-key', 'aria-hidden': 'true' }), ' ', l10n.t('tasks done'));
  private chartSig = '';
  private readonly axes = el('p', { class: 'legend axes' });
  /** The goal stopped at its budget: the gauge shows the stop whatever the fraction (a stop at 73 % is a stop). */
  private stopped = false;
  private readonly notice = el('p', { class: 'budget-notice', role: 'status' });

  constructor() {
    this.fill = el('div', { class: 'fill' });
    this.meter = el('div', { class: 'gauge ok', role: 'meter', 'aria-label': l10n.t('Token budget used'), 'aria-valuemin': '0' }, this.fill);
    this.root = el('section', { class: 'budget', 'aria-label': l10n.t('Budget') },
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
    setAttr(this.meter, 'aria-valuetext', u.budget === null ? l10n.t('{0} tokens, no limit', u.tokens) : l10n.t('{0} of {1} tokens', u.tokens, u.budget));
    setText(this.used, u.budget === null ? l10n.t('{0} tokens (no limit)', compact(u.tokens)) : l10n.t('{0} / {1} tokens', compact(u.tokens), compact(u.budget)));
    setText(this.percent, u.budget === null ? '' : `(${Math.floor((u.tokens / u.budget) * 100)} %)`);
    setText(this.cost, this.priceKnown || u.costUsd > 0 ? money(u.costUsd) : l10n.t('price unknown'));
    const pct = u.budget ? Math.floor((u.tokens / u.budget) * 100) : 0;
    const notice = this.stopped
      ? l10n.t('Stopped at the token budget ({0} % used: the next request would not fit). Raise the budget to continue.', pct)
      : level === 'warn' ? l10n.t('Warning: {0} % of the token budget is used.', pct) : '';
    setText(this.notice, notice);
    setHidden(this.notice, notice === '');
    setClass(this.notice, 'warning', notice !== '');
    setText(this.requests, u.requests === 1 ? l10n.t('1 request') : l10n.t('{0} requests', u.requests));
    let forecast = '';
    if (u.forecastTokens !== null && u.forecastTokens > 0) {
      const over = u.budget !== null && u.tokens + u.forecastTokens > u.budget;
      const tokens = u.forecastCostUsd !== null
        ? l10n.t('~{0} tokens ({1})', compact(u.forecastTokens), money(u.forecastCostUsd))
        : l10n.t('~{0} tokens', compact(u.forecastTokens));
      forecast = over ? l10n.t('Forecast to finish: {0} — more than the budget left', tokens) : l10n.t('Forecast to finish: {0}', tokens);
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
