// Telling a BACKLOG.md the user edited from one that is no backlog at all (issue 12): a binary file, an
// empty file or text without a single TODO / IN PROGRESS / DONE / BLOCKED heading would otherwise be
// read as "the user deleted every task". Such a file is set aside and the backlog rewritten instead.
import { isSectionHeading } from './markdown';

/** Why `text` cannot be a BACKLOG.md, or null when it can (even with no task left in it). */
export function backlogProblem(text: string): string | null {
  if (text.includes('\0')) return 'it holds binary data (NUL bytes)';
  if (text.includes('\uFFFD')) return 'it is not valid UTF-8 text';
  if (text.trim() === '') return 'it is empty';
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (!lines.some(isSectionHeading)) return 'it has no TODO, IN PROGRESS, DONE or BLOCKED heading';
  return null;
}
