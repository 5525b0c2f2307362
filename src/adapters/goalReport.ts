// A goal's report from disk: the goal record plus its goal_status.log events, rendered by the engine's
// pure report code. Shared by `goalpost report` and the extension's Open Report.
import { buildReport } from '../engine/report/reportModel';
import { renderReportHtml } from '../engine/report/reportHtml';
import { renderReportMarkdown } from '../engine/report/reportMarkdown';
import type { Goal } from '../engine/goal';
import { FileStatusLog } from './fileStatusLog';

/** The two page formats. */
export type ReportFormat = 'md' | 'html';

/** The report of `goal` in `format`, with the timeline read from the status log at `statusLogPath`. */
export async function renderGoalReport(goal: Goal, statusLogPath: string, format: ReportFormat): Promise<string> {
  const events = await new FileStatusLog(statusLogPath).tail(Number.MAX_SAFE_INTEGER);
  const model = buildReport(goal, events);
  return format === 'html' ? renderReportHtml(model) : renderReportMarkdown(model);
}

/** The goal with `id` among the current goal and history (newest first), or the current/latest one. */
export function pickGoal(current: Goal | null, history: readonly Goal[], id?: string): Goal | null {
  if (id === undefined) return current ?? history[0] ?? null;
  if (current?.id === id) return current;
  return history.find((g) => g.id === id) ?? null;
}
