// Turns a scanned script into statements of simple commands with shell-quote's tokeniser. A statement is
// what runs between top-level `;`, `&&`, `||` and `&`; inside it, commands joined by pipes (also inside
// parentheses) keep a pipe count so a checker can tell "curl … | bash" from "curl -o f … && bash f".
import { parse, type ParseEntry } from 'shell-quote';
import { ShellSyntaxError } from './scanScript';

/** A redirection of a simple command: the operator and its target word. */
export interface Redirect {
  op: string;
  target: string;
  /** For `<<` and `<<-`: the index of its body in the scanned script's heredocs. */
  heredoc?: number;
}

/** One simple command: its words (program first, keywords and assignments kept) and its redirections. */
export interface SimpleCommand {
  words: string[];
  redirects: Redirect[];
  /** How many pipe operators came before this command in its statement. */
  pipesBefore: number;
}

/** Commands between top-level separators, in order. */
export interface Statement {
  commands: SimpleCommand[];
}

/** The statements of a script plus the names of fork-bomb-shaped functions (`f(){ f|f& }`). */
export interface ParsedScript {
  statements: Statement[];
  forkBombs: string[];
}

const STATEMENT_SEPARATORS = new Set([';', '&', '&&', '||', ';;', ';;&', ';&']);
const PIPES = new Set(['|', '|&']);
const REDIRECTS = new Set(['<', '>', '>>', '>|', '<>', '&>', '&>>', '>&', '<&', '<<', '<<<', '<<-']);

type Token = { word: string } | { op: string };

/** Parses scanned text (see scanScript) into statements; throws ShellSyntaxError on a parse error. */
export function parseStatements(text: string): ParsedScript {
  const tokens = tokenize(text);
  const statements: Statement[] = [];
  const forkBombs: string[] = [];
  let current: Statement = { commands: [] };
  let command: SimpleCommand = { words: [], redirects: [], pipesBefore: 0 };
  let pipes = 0;
  let depth = 0;
  let heredocs = 0;

  const endCommand = (): void => {
    if (command.words.length > 0 || command.redirects.length > 0) current.commands.push(command);
    command = { words: [], redirects: [], pipesBefore: pipes };
  };
  const endStatement = (): void => {
    endCommand();
    if (current.commands.length > 0) statements.push(current);
    current = { commands: [] };
    pipes = 0;
    command.pipesBefore = 0;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if ('word' in t) {
      command.words.push(t.word);
      continue;
    }
    const op = t.op;
    if (REDIRECTS.has(op)) {
      const target = tokens[k + 1];
      const last = command.words[command.words.length - 1];
      // `2>file`: shell-quote splits the fd number off as a word; it is not an argument (or a program).
      if (last !== undefined && /^\d+$/.test(last) && previousIsWord(tokens, k)) command.words.pop();
      const heredoc = op === '<<' || op === '<<-' ? heredocs++ : undefined;
      if (target && 'word' in target) {
        command.redirects.push(heredoc === undefined ? { op, target: target.word } : { op, target: target.word, heredoc });
        k++;
      }
      continue;
    }
    if (op === '(' && tokens[k + 1] && 'op' in tokens[k + 1] && (tokens[k + 1] as { op: string }).op === ')' && command.words.length === 1) {
      // `name() { … }`: a function definition, not a command named `name`.
      const name = command.words[0];
      if (isForkBomb(tokens, k + 2, name)) forkBombs.push(name);
      command.words = [];
      k++;
      continue;
    }
    if (PIPES.has(op)) {
      pipes++;
      endCommand();
      continue;
    }
    if (op === '(' || op === ')') {
      depth = op === '(' ? depth + 1 : Math.max(0, depth - 1);
      endCommand();
      continue;
    }
    if (STATEMENT_SEPARATORS.has(op)) {
      if (depth === 0) endStatement();
      else endCommand();
      continue;
    }
    throw new ShellSyntaxError(`unsupported shell operator ${op}`);
  }
  endStatement();
  return { statements, forkBombs };
}

function previousIsWord(tokens: Token[], k: number): boolean {
  const prev = tokens[k - 1];
  return prev !== undefined && 'word' in prev;
}

/** After `name()`, does the body pipe the function into itself (`name | name`)? */
function isForkBomb(tokens: Token[], from: number, name: string): boolean {
  for (let k = from; k + 2 < tokens.length; k++) {
    const [a, b, c] = [tokens[k], tokens[k + 1], tokens[k + 2]];
    if ('word' in a && a.word === name && 'op' in b && PIPES.has(b.op) && 'word' in c && c.word === name) return true;
  }
  return false;
}

function tokenize(text: string): Token[] {
  let entries: ParseEntry[];
  try {
    // Variables stay literal ($HOME, ${HOME} → $HOME) so rules can see them instead of empty strings.
    entries = parse(text, (key: string): string => (key === '' ? '$' : `$${key}`)) as ParseEntry[];
  } catch (err) {
    throw new ShellSyntaxError(err instanceof Error ? err.message : String(err));
  }
  const tokens: Token[] = [];
  for (const e of entries) {
    if (typeof e === 'string') tokens.push({ word: e });
    else if ('comment' in e) break;
    else if (e.op === 'glob') tokens.push({ word: (e as { pattern: string }).pattern });
    else tokens.push({ op: e.op });
  }
  return tokens;
}
