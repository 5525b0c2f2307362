// A pre-pass over a shell script before shell-quote tokenises it. shell-quote knows words, quotes and
// operators but not newlines, comments, heredocs or command substitution, and each of those can hide a
// command from a checker (`echo hi # x⏎sudo id`, `echo $(sudo id)`). This pass pulls every substitution
// out as a script of its own, turns unquoted newlines into `;`, drops comments and heredoc bodies, and
// refuses what it cannot read (unterminated quotes or parentheses) instead of guessing.

/** A command or process substitution found in a script, to be checked as a script of its own. */
export interface Substitution {
  kind: 'command' | 'process';
  /** The text inside `$(…)`, backticks, `<(…)` or `>(…)`, unescaped. */
  body: string;
}

/** A script flattened for shell-quote: substitutions replaced by placeholders, newlines by `;`. */
export interface ScannedScript {
  text: string;
  substitutions: Substitution[];
  /** Heredoc bodies in the order their `<<` operators appear (what a shell fed by one would run). */
  heredocs: string[];
}

/** The script cannot be read as shell syntax (unterminated quote, parenthesis or backtick). */
export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

const PLACEHOLDER_PREFIX = '__goalpost_sub_';

/** The word that stands for substitution `index` in the scanned text. */
export function placeholder(index: number): string {
  return `${PLACEHOLDER_PREFIX}${index}__`;
}

/** Indexes of the substitutions a word refers to. */
export function substitutionsIn(word: string): number[] {
  const found: number[] = [];
  const re = /__goalpost_sub_(\d+)__/g;
  for (let m = re.exec(word); m; m = re.exec(word)) found.push(Number(m[1]));
  return found;
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  /** An unquoted delimiter: substitutions in the body run. */
  expands: boolean;
}

const WORD_BREAK = /[\s;&|()<>]/;

/** Flattens `script` for shell-quote; throws ShellSyntaxError when it cannot be read. */
export function scanScript(script: string): ScannedScript {
  const subs: Substitution[] = [];
  const heredocs: string[] = [];
  const pending: PendingHeredoc[] = [];
  let out = '';
  let atWordStart = true;
  let i = 0;
  const addSub = (kind: Substitution['kind'], body: string): string => {
    subs.push({ kind, body });
    return placeholder(subs.length - 1);
  };
  while (i < script.length) {
    const c = script[i];
    const next = script[i + 1];
    if (c === '\\') {
      if (next === '\n') {
        i += 2; // line continuation
        continue;
      }
      out += script.slice(i, i + 2);
      i += 2;
      atWordStart = false;
      continue;
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated single quote');
      out += script.slice(i, end + 1);
      i = end + 1;
      atWordStart = false;
      continue;
    }
    if (c === '$' && next === "'") {
      const end = ansiCEnd(script, i + 2);
      out += script.slice(i, end + 1);
      i = end + 1;
      atWordStart = false;
      continue;
    }
    if (c === '"') {
      const r = scanDoubleQuoted(script, i, addSub, subs);
      out += r.text;
      i = r.end + 1;
      atWordStart = false;
      continue;
    }
    if (c === '`') {
      const end = backtickEnd(script, i);
      out += addSub('command', unescapeBackticks(script.slice(i + 1, end)));
      i = end + 1;
      atWordStart = false;
      continue;
    }
    if (c === '$' && next === '(') {
      const r = dollarParen(script, i, subs);
      out += r.text;
      i = r.end + 1;
      atWordStart = false;
      continue;
    }
    if ((c === '<' || c === '>') && next === '(') {
      const end = closingParen(script, i + 1);
      out += ` ${addSub('process', script.slice(i + 2, end))} `;
      i = end + 1;
      atWordStart = true;
      continue;
    }
    if (c === '<' && next === '<' && script[i + 2] !== '<' && script[i + 2] !== '(') {
      const r = heredocStart(script, i);
      pending.push(r.heredoc);
      out += script.slice(i, r.end);
      i = r.end;
      atWordStart = true;
      continue;
    }
    if (c === '#') {
      if (atWordStart) {
        const nl = script.indexOf('\n', i);
        i = nl < 0 ? script.length : nl;
        continue;
      }
      // shell-quote would start a comment mid-word and swallow the rest of the line; bash doesn't.
      out += '\\#';
      i += 1;
      continue;
    }
    if (c === '\n') {
      out += ' ; ';
      i = skipHeredocBodies(script, i + 1, pending.splice(0), subs, heredocs);
      atWordStart = true;
      continue;
    }
    out += c;
    atWordStart = WORD_BREAK.test(c);
    i += 1;
  }
  return { text: out, substitutions: subs, heredocs };
}

/** Index of the quote closing an ANSI-C `$'…'` string whose body starts at `from`. */
function ansiCEnd(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === "'") return j;
  }
  throw new ShellSyntaxError("unterminated $'…' string");
}

/** Scans a double-quoted string starting at `start`; substitutions inside it still run. */
function scanDoubleQuoted(
  s: string,
  start: number,
  addSub: (kind: Substitution['kind'], body: string) => string,
  subs: Substitution[],
): { text: string; end: number } {
  let text = '"';
  let j = start + 1;
  while (j < s.length) {
    const c = s[j];
    if (c === '\\') {
      text += s.slice(j, j + 2);
      j += 2;
    } else if (c === '"') {
      return { text: text + '"', end: j };
    } else if (c === '`') {
      const end = backtickEnd(s, j);
      text += addSub('command', unescapeBackticks(s.slice(j + 1, end)));
      j = end + 1;
    } else if (c === '$' && s[j + 1] === '(') {
      const r = dollarParen(s, j, subs);
      text += r.text;
      j = r.end + 1;
    } else {
      text += c;
      j += 1;
    }
  }
  throw new ShellSyntaxError('unterminated double quote');
}

/** `$(…)` or `$((…))` at `start`: a command substitution, or arithmetic whose own substitutions are kept. */
function dollarParen(s: string, start: number, subs: Substitution[]): { text: string; end: number } {
  const end = closingParen(s, start + 1);
  if (s[start + 2] === '(' && s[end - 1] === ')' && closingParenOrNull(s, start + 2) === end - 1) {
    collectSubstitutions(s.slice(start + 3, end - 1), subs);
    return { text: '0', end };
  }
  subs.push({ kind: 'command', body: s.slice(start + 2, end) });
  return { text: placeholder(subs.length - 1), end };
}

/** Index of the `)` matching the `(` at `open`, skipping quotes, escapes and nested substitutions. */
function closingParen(s: string, open: number): number {
  const end = closingParenOrNull(s, open);
  if (end === null) throw new ShellSyntaxError('unterminated parenthesis or $( substitution');
  return end;
}

function closingParenOrNull(s: string, open: number): number | null {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === "'") {
      const end = s.indexOf("'", j + 1);
      if (end < 0) return null;
      j = end;
    } else if (c === '"') {
      const end = doubleQuoteEnd(s, j);
      if (end === null) return null;
      j = end;
    } else if (c === '`') {
      j = backtickEnd(s, j);
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return null;
}

/** Index of the `"` closing the double-quoted string at `start`, or null. */
function doubleQuoteEnd(s: string, start: number): number | null {
  for (let j = start + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '"') return j;
    else if (c === '$' && s[j + 1] === '(') {
      const end = closingParenOrNull(s, j + 1);
      if (end === null) return null;
      j = end;
    } else if (c === '`') j = backtickEnd(s, j);
  }
  return null;
}

function backtickEnd(s: string, start: number): number {
  for (let j = start + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '`') return j;
  }
  throw new ShellSyntaxError('unterminated backtick substitution');
}

function unescapeBackticks(body: string): string {
  return body.replace(/\\([\\`$])/g, '$1');
}

/** Substitutions inside text where quotes do not protect them (heredoc bodies, arithmetic). */
function collectSubstitutions(text: string, subs: Substitution[]): void {
  for (let j = 0; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '`') {
      const end = backtickEnd(text, j);
      subs.push({ kind: 'command', body: unescapeBackticks(text.slice(j + 1, end)) });
      j = end;
    } else if (c === '$' && text[j + 1] === '(' && text[j + 2] !== '(') {
      const end = closingParen(text, j + 1);
      subs.push({ kind: 'command', body: text.slice(j + 2, end) });
      j = end;
    }
  }
}

/** Reads `<<[-]DELIM` at `start`; returns the heredoc and where the operator and delimiter end. */
function heredocStart(s: string, start: number): { heredoc: PendingHeredoc; end: number } {
  let j = start + 2;
  const stripTabs = s[j] === '-';
  if (stripTabs) j++;
  while (s[j] === ' ' || s[j] === '\t') j++;
  let delimiter = '';
  let quoted = false;
  while (j < s.length && !WORD_BREAK.test(s[j])) {
    const c = s[j];
    if (c === "'" || c === '"') {
      const end = s.indexOf(c, j + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quote in heredoc delimiter');
      delimiter += s.slice(j + 1, end);
      quoted = true;
      j = end + 1;
    } else if (c === '\\') {
      delimiter += s[j + 1] ?? '';
      quoted = true;
      j += 2;
    } else {
      delimiter += c;
      j++;
    }
  }
  if (!delimiter) throw new ShellSyntaxError('heredoc without a delimiter');
  return { heredoc: { delimiter, stripTabs, expands: !quoted }, end: j };
}

/** Skips the bodies of the heredocs opened on the line that just ended; returns the new position. */
function skipHeredocBodies(s: string, from: number, heredocs: PendingHeredoc[], subs: Substitution[], bodies: string[]): number {
  let pos = from;
  for (const h of heredocs) {
    const body: string[] = [];
    while (pos < s.length) {
      const nl = s.indexOf('\n', pos);
      const lineEnd = nl < 0 ? s.length : nl;
      const line = s.slice(pos, lineEnd);
      pos = nl < 0 ? s.length : nl + 1;
      if ((h.stripTabs ? line.replace(/^\t+/, '') : line) === h.delimiter) break;
      body.push(line);
    }
    bodies.push(body.join('\n'));
    if (h.expands) collectSubstitutions(body.join('\n'), subs);
  }
  return pos;
}
