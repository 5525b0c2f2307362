// The report as one self-contained HTML page: inline CSS, no script, no external resource, and a
// Content-Security-Policy that forbids loading anything. Every text is HTML-escaped (agent-written
// text is hostile input).
import { count, usd, type ReportCheck, type ReportModel, type ReportReview, type ReportTask } from './reportModel';
// A report is kept and read later: its times always carry the date (formatTime without a "now").
import { formatTime } from '../../timeFormat';

/** Escapes the five characters that carry meaning in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const h = escapeHtml;

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}
code{font:12px ui-monospace,monospace;background:#f6f8fa;padding:0 .25em;border-radius:3px}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2em .6em;text-align:right}td:first-child,th:first-child{text-align:left}
.ok{color:#1a7f37}.bad{color:#cf222e}.muted{color:#656d76}blockquote{white-space:pre-wrap;border-left:3px solid #d0d7de;margin:0;padding-left:1em}
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}code{background:#161b22}td,th{border-color:#30363d}}`;

function checkItem(c: ReportCheck): string {
  return `<li><span class="${c.passed ? 'ok' : 'bad'}">${c.passed ? '✔' : '✖'}</span> <code>${h(c.command)}</code> — ${h(c.result)} in ${(c.durationMs / 1000).toFixed(1)} s${c.logPath ? ` <span class="muted">(${h(c.logPath)})</span>` : ''}</li>`;
}

function reviewItem(r: ReportReview, label: string): string {
  const notes = r.notes.map((n) => `<li>${h(n.severity)} <code>${h(`${n.path}:${n.line}`)}</code>: ${h(n.message)}</li>`).join('');
  return `<li>${h(label)} <span class="${r.verdict === 'approve' ? 'ok' : 'bad'}">${r.verdict === 'approve' ? 'approved' : 'requested changes'}</span>: ${h(r.summary)}${notes ? `<ul>${notes}</ul>` : ''}</li>`;
}

function taskSection(t: ReportTask): string {
  const items: string[] = [`<li>${t.attempts} attempt(s), from the ${h(t.source)}${t.commit ? `; commit <code>${h(t.commit.sha.slice(0, 12))}</code> ${h(t.commit.title)}` : '; no commit'}</li>`];
  if (t.summary) items.push(`<li>summary: ${h(t.summary)}</li>`);
  if (t.blockedReason) items.push(`<li class="bad">blocked: ${h(t.blockedReason)}</li>`);
  if (t.checks.length > 0) items.push(`<li>checks:<ul>${t.checks.map(checkItem).join('')}</ul></li>`);
  for (const r of t.reviews) items.push(reviewItem(r, 'review'));
  return `<h3>${h(t.id)} · ${h(t.title)} — ${h(t.status)}</h3><ul>${items.join('')}</ul>`;
}

function list(title: string, items: string[]): string {
  return items.length === 0 ? '' : `<p><strong>${h(title)}</strong></p><ul>${items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`;
}

/** The whole report as a standalone HTML document. */
export function renderReportHtml(r: ReportModel): string {
  const usage = r.usage
    .map((u) => `<tr><td>${h(u.role)}</td><td>${count(u.requests)}</td><td>${count(u.tokens)}</td><td>${count(u.inputTokens)}</td><td>${count(u.cachedInputTokens)}</td><td>${count(u.outputTokens)}</td><td>${usd(u.costUsd)}</td></tr>`)
    .join('');
  const timeline = r.timeline
    .map((e, i) => `${r.timelineOmitted > 0 && i === r.timeline.length / 2 ? `<li class="muted">… ${count(r.timelineOmitted)} event(s) left out; goal_status.log has them all</li>` : ''}<li><code>${h(formatTime(e.at))}</code> <strong>${h(e.phase)}</strong> ${h(e.message)}</li>`)
    .join('');
  const outcomeClass = r.status === 'achieved' ? 'ok' : r.status === 'unmet' ? 'bad' : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Goalpost report: goal ${h(r.id)}</title><style>${STYLE}</style></head><body>
<h1>Goalpost report: goal ${h(r.id)}</h1>
<p><strong>Outcome:</strong> <span class="${outcomeClass}">${h(r.status)}</span>${r.reason ? ` — ${h(r.reason)}` : ''}</p>
<p class="muted">Started ${h(formatTime(r.createdAt))}${r.endedAt ? `, ended ${h(formatTime(r.endedAt))}` : ''} · ${r.iterations} iteration(s) · branch ${r.branch ? `<code>${h(r.branch)}</code>` : 'current'}${r.baseCommit ? ` from <code>${h(r.baseCommit.slice(0, 12))}</code>` : ''} · budget ${r.budget === null ? 'unlimited' : `${count(r.budget)} tokens`}</p>
<h2>Objective</h2><blockquote>${h(r.objective.trim())}</blockquote>
${list('Acceptance criteria', r.acceptanceCriteria)}${list('Non-goals', r.nonGoals)}${list('Constraints', r.constraints)}
<h2>Evidence</h2><ul><li>validation (${h(r.validation.source)}): ${r.validation.commands.length > 0 ? r.validation.commands.map((c) => `<code>${h(c)}</code>`).join(', ') : 'none'}</li>${r.audit ? reviewItem(r.audit, 'completion audit') : '<li>no completion audit ran</li>'}</ul>
<h2>Tasks (${r.tasks.filter((t) => t.status === 'done').length} of ${r.tasks.length} done)</h2>
${r.tasks.length === 0 ? '<p>No tasks were planned.</p>' : r.tasks.map(taskSection).join('\n')}
<h2>Tokens and cost per role</h2>
<table><thead><tr><th>role</th><th>requests</th><th>tokens</th><th>input</th><th>cached</th><th>output</th><th>cost</th></tr></thead><tbody>${usage}</tbody></table>
<h2>Timeline</h2>${timeline ? `<ul>${timeline}</ul>` : '<p>No goal_status.log events were found for this goal.</p>'}
</body></html>
`;
}
