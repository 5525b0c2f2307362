// Escaping for BACKLOG.md text. Only what would change how the backlog reader (or a Markdown preview)
// understands a line is escaped, so everyday text stays readable and hand-editable. The escapes are
// Markdown's own (a backslash before punctuation, numeric character references), so a preview shows
// the original text. `unescapeText` is the exact inverse of `escapeTitle` / `escapeLine`.

/** ASCII punctuation: the characters CommonMark lets a backslash escape. */
const PUNCT = /^[!-/:-@[-`{-~]/;
/** Text that a Markdown reader would take as a character reference, so a literal `&` before it needs escaping. */
const ENTITY_AHEAD = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;
/** Line terminators that some editors treat as new lines; kept as references so a line stays one line. */
const LINE_BREAKING = /[\r\n\u0085\u2028\u2029]/;
/** Lines that would be read as the start of an Acceptance or Blocked field. */
export const FIELD_KEYWORD = /^[ \t]*(?:\*\*|__)?(acceptance(?:[ \t]+criteria)?|blocked(?:[ \t]+reason)?|blocker)(?:\*\*|__)?[ \t]*:/i;
/** The whole-line marker for an empty first or last line of a field (a blank line there would be lost). */
export const EMPTY_LINE_MARKER = '\\';

function reference(ch: string): string {
  return `&#${ch.codePointAt(0) ?? 0};`;
}

/** Joins per-character tokens, doubling each backslash that would otherwise escape what follows it. */
function joinTokens(tokens: (string | null)[]): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token !== null) {
      out += token;
      continue;
    }
    const next = tokens[i + 1];
    // A backslash is literal unless punctuation follows it, or it ends the line (the empty-line marker).
    const needsDouble = next === undefined || PUNCT.test(next ?? '\\');
    out += needsDouble ? '\\\\' : '\\';
  }
  return out;
}

/** Tokens for the characters every kind of text escapes; `null` stands for a backslash. */
function baseTokens(text: string): (string | null)[] {
  const tokens: (string | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') tokens.push(null);
    else if (LINE_BREAKING.test(ch)) tokens.push(reference(ch));
    else if (ch === '<' && text[i + 1] === '!') tokens.push('\\<');
    else if (ch === '&' && ENTITY_AHEAD.test(text.slice(i))) tokens.push('\\&');
    else tokens.push(ch);
  }
  return tokens;
}

/**
 * A task title for the item line. Edge whitespace becomes a character reference (the reader trims the
 * line), a leading `[` is escaped (it would read as a checkbox), `<!` never starts an id marker.
 */
export function escapeTitle(title: string): string {
  const tokens = baseTokens(title);
  if (tokens.length === 0) return '';
  if (title[0] === ' ' || title[0] === '\t') tokens[0] = reference(title[0]);
  else if (title[0] === '[') tokens[0] = '\\[';
  const last = tokens.length - 1;
  if (last > 0 && (title[last] === ' ' || title[last] === '\t')) tokens[last] = reference(title[last]);
  return joinTokens(tokens);
}

/**
 * One line of details, acceptance or blocked reason. A trailing space or tab becomes a reference
 * (editors strip trailing whitespace, and a whitespace-only line would read as blank); a line that
 * looks like a field keyword gets its colon escaped; a leading `#` is escaped for the preview's sake.
 */
export function escapeLine(line: string): string {
  const tokens = baseTokens(line);
  if (tokens.length === 0) return '';
  const keyword = FIELD_KEYWORD.exec(line);
  if (keyword) tokens[keyword[0].length - 1] = '\\:';
  const firstText = line.search(/[^ \t]/);
  if (firstText >= 0 && line[firstText] === '#') tokens[firstText] = '\\#';
  const last = tokens.length - 1;
  if (line[last] === ' ' || line[last] === '\t') tokens[last] = reference(line[last]);
  return joinTokens(tokens);
}

/** Replaces the first character of an escaped line by its reference (used to pin a line's indentation). */
export function referenceFirstChar(escaped: string): string {
  return escaped.length === 0 ? escaped : reference(escaped[0]) + escaped.slice(1);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const UNESCAPE = /\\([!-/:-@[-`{-~])|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);/g;

/** Undoes the escapes: backslash-punctuation and the character references a person is likely to type. */
export function unescapeText(text: string): string {
  return text.replace(UNESCAPE, (whole: string, punct: string | undefined, ref: string | undefined) => {
    if (punct !== undefined) return punct;
    if (ref === undefined) return whole;
    if (ref[0] !== '#') return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
