// The goal file of PRODUCT.md F1.2: Markdown whose free text is the objective, with optional known
// sections picked out by heading. Parsing goes through marked's Lexer so code fences, nested lists and
// the like behave as in any Markdown viewer; unknown sections stay in the objective verbatim, so nothing
// the user wrote is ever silently dropped.
import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import type { GoalSpec } from './goal';
import { firstInvalidUtf8 } from './utf8';

/** Larger goal files are refused: the objective is sent with every request. */
export const MAX_GOAL_FILE_BYTES = 256 * 1024;

/** A goal file or inline objective that cannot be used; the message says what to do. */
export class GoalFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoalFileError';
  }
}

/** The known sections of a goal file. */
type SectionKey = 'acceptanceCriteria' | 'nonGoals' | 'constraints' | 'validationCommands' | 'protectedPaths';

/** Normalised heading text → section. */
const SECTION_HEADINGS: Readonly<Record<string, SectionKey>> = {
  'acceptance criteria': 'acceptanceCriteria',
  'non-goals': 'nonGoals',
  'non goals': 'nonGoals',
  constraints: 'constraints',
  validation: 'validationCommands',
  'validation commands': 'validationCommands',
  'protected paths': 'protectedPaths',
  'protected files': 'protectedPaths',
};

/** Which kind of text is being parsed, for messages that name it the way the user knows it. */
type SourceKind = 'Goal file' | 'Objective';

/** Parses a goal file (F1.2). Throws GoalFileError when it is empty, binary, too large or has no objective. */
export function parseGoalFile(text: string): GoalSpec {
  return parse(text, 'Goal file');
}

/**
 * The text of a goal file's bytes; a file that is not valid UTF-8 is refused with the offset of the first
 * bad byte (F1.2), never decoded with replacement characters.
 */
export function decodeGoalFile(bytes: Uint8Array): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad !== null) {
    const byte = `0x${bytes[bad].toString(16).toUpperCase().padStart(2, '0')}`;
    if (bytes.includes(0)) {
      throw new GoalFileError(`Goal file looks binary, not text: the byte at offset ${bad} (${byte}) is not valid UTF-8. Use a Markdown or plain-text file (.md or .txt).`);
    }
    throw new GoalFileError(`Goal file is not valid UTF-8: the byte at offset ${bad} (${byte}) is not part of a UTF-8 character. Save the file as UTF-8 and try again.`);
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Parses an objective typed in the CLI or the command palette: the same rules; a one-liner is fine. */
export function parseInlineObjective(text: string): GoalSpec {
  return parse(text, 'Objective');
}

function parse(raw: string, kind: SourceKind): GoalSpec {
  checkSize(raw, kind);
  checkText(raw, kind);
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new GoalFileError(`${kind} is empty. Write the objective: what should change and how you will know it is done.`);

  const spec: GoalSpec = { objective: '', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] };
  const objectiveParts: string[] = [];
  let kept: string[] = [];
  // The known section being read and the heading depth that opened it; a heading at that depth or
  // shallower (or another known heading) closes it, deeper ones are sub-parts of it.
  let section: { key: SectionKey; depth: number } | null = null;

  const flushKept = (): void => {
    const part = kept.join('').trim();
    if (part !== '') objectiveParts.push(part);
    kept = [];
  };

  let title: string | undefined;
  let first = true;
  for (const token of Lexer.lex(text) as MarkedToken[]) {
    // F1.2: a leading `# Title` is the goal's title, not part of the objective.
    const leading = first && token.type !== 'space';
    if (token.type !== 'space') first = false;
    if (leading && token.type === 'heading' && token.depth === 1 && sectionOf(token.text) === null && kind === 'Goal file') {
      title = token.text.trim();
      continue;
    }
    if (token.type === 'heading') {
      const key = sectionOf(token.text);
      if (key !== null) {
        flushKept();
        section = { key, depth: token.depth };
        continue;
      }
      if (section !== null && token.depth <= section.depth) section = null;
    }
    if (section === null) kept.push(token.raw);
    else if (section.key === 'validationCommands') spec.validationCommands.push(...commandsOf(token));
    // Globs are read like commands: one per line or list item, backticks dropped.
    else if (section.key === 'protectedPaths') (spec.protectedPaths ??= []).push(...commandsOf(token));
    else spec[section.key].push(...entriesOf(token));
  }
  flushKept();

  spec.objective = objectiveParts.join('\n\n');
  // A file with only a title and sections: the title says what to do.
  if (title !== undefined && !/[\p{L}\p{N}]/u.test(spec.objective)) spec.objective = title;
  if (title !== undefined) spec.title = title;
  if (!/[\p{L}\p{N}]/u.test(spec.objective)) {
    throw new GoalFileError(
      `${kind === 'Goal file' ? 'Goal file has no objective' : 'Objective has no text of its own'}: only the known sections (Acceptance criteria, Non-goals, Constraints, Validation) were found. Add a few sentences before them saying what should change.`,
    );
  }
  return spec;
}

/** The section a heading opens, or null: case-insensitive, ignoring emphasis, spacing and a trailing ':'. */
function sectionOf(headingText: string): SectionKey | null {
  const normal = headingText
    .replace(/[*_`]/g, '')
    .trim()
    .replace(/\s*:$/, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  return SECTION_HEADINGS[normal] ?? null;
}

function checkSize(text: string, kind: SourceKind): void {
  // Cheap upper bound first (UTF-8 is at most 3 bytes per UTF-16 unit) before encoding a huge string.
  if (text.length * 3 <= MAX_GOAL_FILE_BYTES) return;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_GOAL_FILE_BYTES) {
    throw new GoalFileError(`${kind} is ${formatSize(bytes)}; the limit is 256 KiB. Put the objective and its sections in a short file.`);
  }
}

/** `1.2 MB` or `300 KiB`, as a person reads a file size. */
function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** Share of non-text characters above which the content is taken as binary. */
const BINARY_SHARE = 0.1;

function checkText(text: string, kind: SourceKind): void {
  const message = `${kind} looks binary, not text. Use a Markdown or plain-text file (.md or .txt).`;
  if (text.includes('\u0000')) throw new GoalFileError(message);
  // Control characters other than tab, newline, form feed and carriage return, C1 controls and
  // replacement characters are what binary data decoded as text turns into; prose has next to none.
  const odd = text.match(/[\u0001-\u0008\u000B\u000E-\u001F\u007F-\u009F\uFFFD]/g)?.length ?? 0;
  if (text.length > 0 && odd / text.length > BINARY_SHARE) throw new GoalFileError(message);
}

/** The entries of a list-like section: one per list item (nested items joined), one per text line. */
function entriesOf(token: MarkedToken): string[] {
  switch (token.type) {
    case 'list':
      return token.items.map(itemText).filter((s) => s !== '');
    case 'paragraph':
    case 'text':
      return lines(token.text);
    case 'blockquote':
      return token.tokens.flatMap((t) => entriesOf(t as MarkedToken));
    case 'heading':
      // A sub-heading inside a known section is a label the user wrote; keep it rather than lose it.
      return lines(token.text);
    case 'code':
      return token.text.trim() === '' ? [] : [token.text.trim()];
    case 'space':
    case 'hr':
      return [];
    default:
      return token.raw.trim() === '' ? [] : [token.raw.trim()];
  }
}

/** A list item as one line: its own text (inline Markdown kept), then its nested items, joined by "; ". */
function itemText(item: Tokens.ListItem): string {
  const own: string[] = [];
  const nested: string[] = [];
  for (const t of item.tokens as MarkedToken[]) {
    if (t.type === 'list') nested.push(...t.items.map(itemText));
    else if (t.type === 'checkbox' || t.type === 'space') continue;
    else own.push(t.raw.trim());
  }
  return [own.filter((s) => s !== '').join(' ').replace(/\s*\n\s*/g, ' '), ...nested].filter((s) => s !== '').join('; ');
}

/** Validation commands: one per line of a fenced block (blank and `#` lines skipped), list item or line. */
function commandsOf(token: MarkedToken): string[] {
  switch (token.type) {
    case 'code':
      return token.text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map(stripPrompt);
    case 'list':
      return token.items.flatMap(itemCommands);
    case 'paragraph':
    case 'text':
      return lines(token.text).map(unquoteCommand);
    case 'blockquote':
      return token.tokens.flatMap((t) => commandsOf(t as MarkedToken));
    default:
      return [];
  }
}

/** A list item names one command; a nested list adds more. */
function itemCommands(item: Tokens.ListItem): string[] {
  const out: string[] = [];
  for (const t of item.tokens as Token[]) {
    const m = t as MarkedToken;
    if (m.type === 'list') out.push(...m.items.flatMap(itemCommands));
    else if (m.type === 'code') out.push(...commandsOf(m));
    else if (m.type === 'text' || m.type === 'paragraph') out.push(...lines(m.raw).map(unquoteCommand));
  }
  return out.filter((c) => c !== '');
}

/** `` `npm test` `` → `npm test`; a shell prompt `$ ` in front is dropped too. */
function unquoteCommand(line: string): string {
  const m = /^(`+)\s*([^`].*?)\s*\1$/.exec(line.trim());
  return stripPrompt(m ? m[2] : line.trim());
}

function stripPrompt(line: string): string {
  return line.replace(/^\$\s+/, '').trim();
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
