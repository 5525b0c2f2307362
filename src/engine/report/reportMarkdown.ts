// The report as Markdown. Text written by the agent (summaries, notes, blockers, log messages) is
// hostile input: every piece is escaped so it cannot add headings, links, images or raw HTML to the page.
import { count, usd, type ReportCheck, type ReportModel, type ReportReview, type ReportTask } from './reportModel';
// A report is kept and read later: its times always carry the date (formatTime without a "now").
import { formatTime } from '../../timeFormat';

/** One line of text with every Markdown and HTML meaning removed. */
export function mdInline(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`);
}

/** Multi-line text as a block quote, each line escaped (blank lines kept as paragraph breaks). */
function mdBlock(text: string): string[] {
  return text.trim().split(/\r?\n/).map((line) => (line.trim() === '' ? '>' : `> ${mdInline(line)}`));
}

/** Code spans cannot be escaped, so a command is shown in a span longer than any run of backticks in it. */
function mdCode(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${oneLine} ${fence}`;
}

function checkLine(c: ReportCheck): string {
  return `  - ${c.passed ? '✔' : '✖'} ${mdCode(c.command)} — ${c.result} in ${(c.durationMs / 1000).toFixed(1)} s${c.logPath ? ` (full output: ${mdCode(c.logPath)})` : ''}`;
}

function reviewLines(r: ReportReview, indent: string): string[] {
  const lines = [`${indent}- review ${r.verdict === 'approve' ? 'approved' : 'requested changes'}: ${mdInline(r.summary)}`];
  for (const n of r.notes) lines.push(`${indent}  - ${n.severity} ${mdCode(`${n.path}:${n.line}`)}: ${mdInline(n.message)}`);
  return lines;
}

function taskLines(t: ReportTask): string[] {
  const lines = [`### ${t.id} · ${mdInline(t.title)} — ${t.status}`, ''];
  lines.push(`- ${t.attempts} attempt(s), from the ${t.source}${t.commit ? `; commit ${mdCode(t.commit.sha.slice(0, 12))} ${mdInline(t.commit.title)}` : '; no commit'}`);
  if (t.summary) lines.push(`- summary: ${mdInline(t.summary)}`);
  if (t.blockedReason) lines.push(`- blocked: ${mdInline(t.blockedReason)}`);
  if (t.checks.length > 0) {
    lines.push('- checks:');
    lines.push(...t.checks.map(checkLine));
  }
  for (const r of t.reviews) lines.push(...reviewLines(r, ''));
  lines.push('');
  return lines;
}

function list(title: string, items: string[]): string[] {
  return items.length === 0 ? [] : [`**${title}**`, '', ...items.map((i) => `- ${mdInline(i)}`), ''];
}

/** The whole report as one Markdown page. */
export function renderReportMarkdown(r: ReportModel): string {
  const out: string[] = [`# Goalpost report: goal ${mdInline(r.id)}`, ''];
  out.push(`**Outcome:** ${r.status}${r.reason ? ` — ${mdInline(r.reason)}` : ''}`, '');
  out.push(`Started ${formatTime(r.createdAt)}${r.endedAt ? `, ended ${formatTime(r.endedAt)}` : ''} · ${r.iterations} iteration(s) · branch ${r.branch ? mdCode(r.branch) : 'current'}${r.baseCommit ? ` from ${mdCode(r.baseCommit.slice(0, 12))}` : ''} · budget ${r.budget === null ? 'unlimited' : `${count(r.budget)} tokens`}`, '');
  out.push('## Objective', '', ...mdBlock(r.objective), '');
  out.push(...list('Acceptance criteria', r.acceptanceCriteria), ...list('Non-goals', r.nonGoals), ...list('Constraints', r.constraints));
  out.push('## Evidence', '');
  out.push(`- validation (${r.validation.source}): ${r.validation.commands.length > 0 ? r.validation.commands.map(mdCode).join(', ') : 'none'}`);
  if (r.audit) out.push(...reviewLines({ ...r.audit, summary: `completion audit — ${r.audit.summary}` }, ''));
  else out.push('- no completion audit ran');
  out.push('');
  out.push(`## Tasks (${r.tasks.filter((t) => t.status === 'done').length} of ${r.tasks.length} done)`, '');
  if (r.tasks.length === 0) out.push('No tasks were planned.', '');
  for (const t of r.tasks) out.push(...taskLines(t));
  out.push('## Tokens and cost per role', '', '| role | requests | tokens | input | cached | output | cost |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const u of r.usage) {
    out.push(`| ${u.role} | ${count(u.requests)} | ${count(u.tokens)} | ${count(u.inputTokens)} | ${count(u.cachedInputTokens)} | ${count(u.outputTokens)} | ${usd(u.costUsd)} |`);
  }
  out.push('', '## Timeline', '');
  if (r.timeline.length === 0) out.push('No goal_status.log events were found for this goal.');
  for (const [i, e] of r.timeline.entries()) {
    if (r.timelineOmitted > 0 && i === r.timeline.length / 2) out.push(`- … ${count(r.timelineOmitted)} event(s) left out; goal_status.log has them all`);
    out.push(`- ${formatTime(e.at)} **${e.phase}** ${mdInline(e.message)}`);
  }
  out.push('');
  return out.join('\n');
}
