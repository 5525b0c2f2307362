// The commit message of one finished task (PRODUCT.md F5): the task title as subject, a body with the
// summary, the checks and the review verdict, and the Goalpost-Goal / Goalpost-Task trailers that make the
// commit step idempotent (a crash between commit and save finds the commit again instead of redoing it).

/** What the commit message is made of. */
export interface CommitMessageInput {
  title: string;
  summary: string;
  checks: { command: string; exitCode: number | null }[];
  /** The review verdict ("approve", "request_changes"), or null when no review ran. */
  verdict: string | null;
  goalId: string;
  taskId: string;
}

/** The two trailers found in a commit message. */
export interface GoalpostTrailers {
  goalId: string | null;
  taskId: string | null;
}

const SUBJECT_MAX = 72;
export const GOAL_TRAILER = 'Goalpost-Goal';
export const TASK_TRAILER = 'Goalpost-Task';

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The subject: the title on one line, at most 72 characters (cut at a word, with an ellipsis). */
export function commitSubject(title: string, fallback: string): string {
  const line = oneLine(title) || fallback;
  if (line.length <= SUBJECT_MAX) return line;
  const cut = line.slice(0, SUBJECT_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUBJECT_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Subject, blank line, body (summary, checks, review), blank line, trailers. */
export function formatCommitMessage(input: CommitMessageInput): string {
  const subject = commitSubject(input.title, `Goalpost task ${oneLine(input.taskId)}`);
  // Blank lines inside the summary are kept, but a summary cannot end the message with fake trailers:
  // the trailers are always the last paragraph.
  const summary = input.summary.replace(/\r\n/g, '\n').trim();
  const checks = input.checks.length === 0
    ? ['Checks: none run']
    : ['Checks:', ...input.checks.map((c) => `- ${oneLine(c.command)} (${c.exitCode === null ? 'no exit code' : `exit ${c.exitCode}`})`)];
  const review = `Review: ${input.verdict === null ? 'none' : oneLine(input.verdict)}`;
  const body = [...(summary ? [summary, ''] : []), ...checks, review].join('\n');
  const trailers = `${GOAL_TRAILER}: ${oneLine(input.goalId)}\n${TASK_TRAILER}: ${oneLine(input.taskId)}`;
  return `${subject}\n\n${body}\n\n${trailers}\n`;
}

/** The Goalpost trailers of a commit message (read from its last paragraph, as git reads trailers). */
export function parseGoalpostTrailers(message: string): GoalpostTrailers {
  const paragraphs = message.replace(/\r\n/g, '\n').trim().split(/\n[ \t]*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1] : '';
  const result: GoalpostTrailers = { goalId: null, taskId: null };
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z0-9-]+):[ \t]*(.*?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1].toLowerCase() === GOAL_TRAILER.toLowerCase()) result.goalId = m[2];
    if (m[1].toLowerCase() === TASK_TRAILER.toLowerCase()) result.taskId = m[2];
  }
  return result;
}
