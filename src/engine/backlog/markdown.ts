// BACKLOG.md, rendered for people and read back after they edit it (PRODUCT.md F2, F5). The reader is
// line-based and forgiving (any heading level, `*`/`+`/numbered bullets, missing checkboxes, CRLF,
// tabs, extra blank lines) while `parseBacklog(renderBacklog(b))` gives back b's tasks exactly.
import type { Task, TaskStatus } from '../goal';
import {
  EMPTY_LINE_MARKER,
  FIELD_KEYWORD,
  escapeLine,
  escapeTitle,
  referenceFirstChar,
  unescapeText,
} from './markdownEscape';

/** One task as BACKLOG.md states it; `id` is null for an item the user added without an id marker. */
export interface BacklogItem {
  id: string | null;
  title: string;
  details: string;
  acceptance: string;
  status: TaskStatus;
  blockedReason: string | null;
}

/** What parseBacklog read: the items in file order, and what it had to guess or ignore. */
export interface ParsedBacklog {
  items: BacklogItem[];
  warnings: string[];
}

/** The sections in file order. */
export const SECTION_ORDER: readonly TaskStatus[] = ['todo', 'in-progress', 'done', 'blocked'];

/** Section headings as rendered (also used in the merge's change lines). */
export const SECTION_TITLES: Readonly<Record<TaskStatus, string>> = {
  todo: 'TODO',
  'in-progress': 'IN PROGRESS',
  done: 'DONE',
  blocked: 'BLOCKED',
};

/** Heading words (lower case, letters only) the reader accepts for each section. */
const SECTION_NAMES: Readonly<Record<string, TaskStatus>> = {
  todo: 'todo', todos: 'todo', pending: 'todo', next: 'todo', upnext: 'todo', planned: 'todo',
  inprogress: 'in-progress', doing: 'in-progress', wip: 'in-progress', workinprogress: 'in-progress',
  active: 'in-progress', started: 'in-progress', current: 'in-progress',
  done: 'done', completed: 'done', complete: 'done', finished: 'done',
  blocked: 'blocked', stuck: 'blocked', onhold: 'blocked',
};

const ID_MARKER = /[ \t]*<!--[ \t]*(?:id[ \t]*:[ \t]*)?([A-Za-z0-9][A-Za-z0-9_.:-]*)[ \t]*-->[ \t]*$/i;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/;
const BULLET = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const CHECKBOX = /^\[([ xX]?)\](?=[ \t]|$)[ \t]*/;
const BLANK = /^[ \t]*$/;

// ---------------------------------------------------------------------------------------- render

function headerComment(goalId: string): string[] {
  const safeId = goalId.replace(/--+/g, '-');
  return [
    '<!--',
    `Goalpost backlog of goal ${safeId}. Edit freely: add, delete, reorder, reword, or move tasks between`,
    'the sections. Goalpost reads this file back before every iteration and your edits win over its copy.',
    'The first TODO task (or the IN PROGRESS one) is worked on next; order is priority.',
    'Keep the id comment that ends each task line (the one holding t3, t4, …) so Goalpost knows the task;',
    'a new item without one is a new task. Indented lines under a task are its details, then',
    '"Acceptance:" (how to tell it is done) and, in BLOCKED, "Blocked:" (why).',
    '-->',
  ];
}

/** The escaped lines of one field; an empty first or last line gets the marker a blank line would lose. */
function fieldLines(text: string): string[] {
  const raw = text.split('\n');
  let first = 0;
  while (first < raw.length && raw[first] === '') first++;
  let last = raw.length - 1;
  while (last >= first && raw[last] === '') last--;
  return raw.map((line, i) => (line === '' ? (i < first || i > last ? EMPTY_LINE_MARKER : '') : escapeLine(line)));
}

function keywordField(keyword: string, text: string): string[] {
  const lines = fieldLines(text);
  // Inline form only when the reader's trimming after the colon cannot eat part of the first line.
  const inline = text !== '' && /^[^ \t\n]/.test(text);
  return inline ? [`${keyword}: ${lines[0]}`, ...lines.slice(1)] : [`${keyword}:`, ...(text === '' ? [] : lines)];
}

/** What BACKLOG.md shows of a task: a task, or the merge base's copy of one (backlogBase.ts). */
export type ShownTask = Pick<Task, 'id' | 'title' | 'details' | 'acceptance' | 'status' | 'blockedReason'>;

function renderItem(task: ShownTask): string[] {
  const box = task.status === 'done' ? '[x]' : '[ ]';
  const body: string[] = task.details === '' ? [] : fieldLines(task.details);
  const keywordLines: string[] = [];
  if (task.acceptance !== '') keywordLines.push(...keywordField('Acceptance', task.acceptance));
  if (task.blockedReason !== null) keywordLines.push(...keywordField('Blocked', task.blockedReason));
  // The reader dedents a task's block by its smallest indentation; when every line starts with
  // whitespace that would eat real indentation, so the first line's first character is pinned.
  const nonEmpty = body.filter((l) => l !== '');
  if (keywordLines.length === 0 && nonEmpty.length > 0 && nonEmpty.every((l) => /^[ \t]/.test(l))) {
    const i = body.findIndex((l) => l !== '');
    body[i] = referenceFirstChar(body[i]);
  }
  const indented = [...body, ...keywordLines].map((l) => (l === '' ? '' : `  ${l}`));
  return [`- ${box} ${escapeTitle(task.title)} <!-- ${task.id} -->`, ...indented];
}

/** BACKLOG.md for the backlog: the four sections with counts, tasks in array order within each. */
// A stored task is frozen (the store freezes what it saves) and keeps its identity until it changes,
// so its rendered text can be kept: re-rendering BACKLOG.md then costs the changed tasks, not the
// whole backlog (thousands of tasks, several renders per iteration).
// Only the task's own string fields are rendered, so a frozen task object is enough.
const renderedTasks = new WeakMap<ShownTask, string>();

function renderedItem(task: ShownTask): string {
  const cached = renderedTasks.get(task);
  if (cached !== undefined) return cached;
  const text = renderItem(task).join('\n');
  if (Object.isFrozen(task)) renderedTasks.set(task, text);
  return text;
}

/** The last rendering of each section: its tasks (frozen, by reference) and their joined text. */
const renderedSections = new Map<TaskStatus, { tasks: readonly ShownTask[]; text: string }>();

/**
 * A section's items, blank-line separated. When the section starts with the tasks it held at the last
 * render (a task was appended: the usual DONE), the kept text is extended instead of joined again, so
 * a render costs the changed sections' new tasks, not the thousands of tasks already DONE.
 */
function sectionBody(status: TaskStatus, tasks: readonly ShownTask[]): string {
  const last = renderedSections.get(status);
  let kept = 0;
  if (last && last.tasks.length <= tasks.length) while (kept < last.tasks.length && last.tasks[kept] === tasks[kept]) kept++;
  let text: string;
  if (last && kept === last.tasks.length) {
    text = last.text;
    for (let i = kept; i < tasks.length; i++) text = text === '' ? renderedItem(tasks[i]) : `${text}\n\n${renderedItem(tasks[i])}`;
  } else {
    text = tasks.map(renderedItem).join('\n\n');
  }
  // The first `kept` tasks are the last render's, which were all frozen (and stay so): only the rest is asked.
  let frozen = true;
  for (let i = kept; frozen && i < tasks.length; i++) frozen = Object.isFrozen(tasks[i]);
  if (frozen) renderedSections.set(status, { tasks, text });
  return text;
}

export function renderBacklog(backlog: readonly ShownTask[], goalId: string): string {
  // One plain pass (array builtins are slow on the store's frozen arrays).
  const by: Record<TaskStatus, ShownTask[]> = { todo: [], 'in-progress': [], done: [], blocked: [] };
  for (const t of backlog) by[t.status].push(t);
  const sections = SECTION_ORDER.map((status) => {
    const tasks = by[status];
    const body = sectionBody(status, tasks);
    return `## ${SECTION_TITLES[status]} (${tasks.length})${body === '' ? '' : `\n\n${body}`}`;
  });
  // Concatenated, not joined: a kept section's text is linked into the result, not copied.
  return `${['# Backlog', '', ...headerComment(goalId)].join('\n')}\n\n${sections.reduce((a, b) => `${a}\n\n${b}`)}\n`;
}

// ---------------------------------------------------------------------------------------- parse

/** Columns of leading whitespace, tabs to the next multiple of 4 (as CommonMark counts). */
function indentOf(line: string): number {
  let col = 0;
  for (const ch of line) {
    if (ch === ' ') col++;
    else if (ch === '\t') col += 4 - (col % 4);
    else break;
  }
  return col;
}

/** Removes up to `cols` columns of leading whitespace. */
function dedent(line: string, cols: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < cols) {
    if (line[i] === ' ') col++;
    else if (line[i] === '\t') col += 4 - (col % 4);
    else break;
    i++;
  }
  return line.slice(i);
}

/** True when `line` is a heading the reader takes for one of the four sections. */
export function isSectionHeading(line: string): boolean {
  const heading = HEADING.exec(line);
  return heading !== null && sectionOf(heading[2] ?? '') !== null;
}

function sectionOf(headingText: string): TaskStatus | null {
  const key = headingText.replace(/\([^)]*\)|\[[^\]]*\]/g, '').toLowerCase().replace(/[^a-z]/g, '');
  return SECTION_NAMES[key] ?? null;
}

interface OpenItem {
  lineNo: number;
  section: TaskStatus | null;
  checked: boolean;
  id: string | null;
  rawTitle: string;
  /** Column where the item's text starts: lines indented at least this much belong to it. */
  contentIndent: number;
  body: string[];
}

function openItem(match: RegExpExecArray, lineNo: number, section: TaskStatus | null): OpenItem {
  const [, lead, marker, gap, restRaw] = match;
  const gapCols = gap.length === 0 || gap.length > 4 ? 1 : gap.length;
  let rest = restRaw;
  let checked = false;
  const box = CHECKBOX.exec(rest);
  if (box) {
    checked = box[1] === 'x' || box[1] === 'X';
    rest = rest.slice(box[0].length);
  }
  let id: string | null = null;
  const marked = ID_MARKER.exec(rest);
  if (marked) {
    // An escaped `\<!--` is title text, not a marker: count the backslashes right before it.
    const lt = rest.indexOf('<!--', marked.index);
    let slashes = 0;
    while (lt - slashes - 1 >= 0 && rest[lt - slashes - 1] === '\\') slashes++;
    if (slashes % 2 === 0) {
      id = marked[1];
      rest = rest.slice(0, marked.index);
    }
  }
  rest = rest.replace(/[ \t]+$/, '');
  return { lineNo, section, checked, id, rawTitle: rest, contentIndent: indentOf(lead) + marker.length + gapCols, body: [] };
}

type FieldName = 'details' | 'acceptance' | 'blocked';

function fieldText(lines: string[]): string {
  let first = 0;
  while (first < lines.length && BLANK.test(lines[first])) first++;
  let last = lines.length - 1;
  while (last >= first && BLANK.test(lines[last])) last--;
  return lines
    .slice(first, last + 1)
    .map((l) => (l === EMPTY_LINE_MARKER ? '' : BLANK.test(l) ? '' : unescapeText(l)))
    .join('\n');
}

function closeItem(item: OpenItem): BacklogItem {
  const nonBlank = item.body.filter((l) => !BLANK.test(l));
  const indents = nonBlank.map(indentOf).filter((n) => n > 0);
  const strip = indents.length > 0 ? Math.min(...indents) : 0;
  const fields: Record<FieldName, string[] | null> = { details: [], acceptance: null, blocked: null };
  let current: FieldName = 'details';
  for (const raw of item.body) {
    const line = dedent(raw, strip);
    const keyword = BLANK.test(line) ? null : FIELD_KEYWORD.exec(line);
    if (keyword) {
      current = keyword[1].toLowerCase().startsWith('acceptance') ? 'acceptance' : 'blocked';
      const after = line.slice(keyword[0].length).replace(/^(?:\*\*|__)/, '').replace(/^[ \t]+/, '');
      const lines = fields[current] ?? [];
      if (after !== '') lines.push(after);
      fields[current] = lines;
    } else {
      (fields[current] ?? (fields[current] = [])).push(line);
    }
  }
  const checkedDone = item.checked || item.section === 'done';
  return {
    id: item.id,
    title: unescapeText(item.rawTitle),
    details: fieldText(fields.details ?? []),
    acceptance: fields.acceptance === null ? '' : fieldText(fields.acceptance),
    status: checkedDone ? 'done' : (item.section ?? 'todo'),
    blockedReason: fields.blocked === null ? null : fieldText(fields.blocked),
  };
}

function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return `“${one.length > 60 ? `${one.slice(0, 57)}…` : one}”`;
}

/** Reads BACKLOG.md as written by renderBacklog or edited by hand. Never throws. */
export function parseBacklog(text: string): ParsedBacklog {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const items: BacklogItem[] = [];
  const warnings: string[] = [];
  const seenIds = new Set<string>();
  let section: TaskStatus | null = null;
  let sectionLevel = 0;
  let inComment = false;
  let item: OpenItem | null = null;

  const close = (): void => {
    if (item === null) return;
    const done = closeItem(item);
    const where = `line ${item.lineNo}`;
    const outside = item.section === null;
    item = null;
    const empty = done.title === '' && done.details === '' && done.acceptance === '' && done.blockedReason === null;
    if (empty && done.id === null) return; // a bare bullet: nothing to keep
    if (done.title === '') warnings.push(`${where}: a task has no title`);
    if (done.id !== null && seenIds.has(done.id)) {
      warnings.push(`${where}: ${done.id} appears more than once; this copy is read as a new task`);
      done.id = null;
    }
    if (done.id !== null) seenIds.add(done.id);
    if (outside) {
      const as = done.status === 'done' ? 'DONE (checked)' : 'TODO';
      warnings.push(`${where}: ${quote(done.title)} is not under a TODO, IN PROGRESS, DONE or BLOCKED heading; read as ${as}`);
    }
    items.push(done);
  };

  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      return;
    }
    const open: OpenItem | null = item;
    if (BLANK.test(line)) {
      if (open) open.body.push('');
      return;
    }
    const indent = indentOf(line);
    if (open && indent >= open.contentIndent) {
      open.body.push(line);
      return;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      close();
      const level = heading[1].length;
      const named = sectionOf(heading[2] ?? '');
      if (named) {
        section = named;
        sectionLevel = level;
      } else if (section === null || level <= sectionLevel) {
        // An unknown heading at the level of a section ends it; a deeper one is a sub-heading inside it.
        section = null;
        sectionLevel = 0;
      }
      return;
    }
    if (RULE.test(line)) {
      close();
      return;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      close();
      item = openItem(bullet, lineNo, section);
      return;
    }
    if (line.trimStart().startsWith('<!--') && (open === null || indent === 0)) {
      close();
      inComment = !line.slice(line.indexOf('<!--') + 4).includes('-->');
      return;
    }
    const afterBlank = open !== null && open.body.length > 0 && open.body[open.body.length - 1] === '';
    if (open && (indent > 0 || !afterBlank)) {
      // Lazy continuation (no blank line before it) or an under-indented detail line: still this task.
      open.body.push(line);
      return;
    }
    close();
    warnings.push(`line ${lineNo}: text outside any task was ignored: ${quote(line)}`);
  });
  close();
  return { items, warnings };
}
