// Commands that run other commands the checker cannot see on the command line (PRODUCT.md F10): text piped
// or fed by a heredoc/here-string into a shell, xargs or find handing their input to a shell, interpreter
// code that calls os.system / subprocess / child_process, and script files run by name. What can be known
// is brought back as a script to check (a here-string, a heredoc body, string literals of interpreter code,
// the content of a script file); what cannot be known (a shell reading a pipe) is refused. The sandbox makes
// the rest harmless: this list is a courtesy that catches the common shapes early, with a clear reason.
import { SHELLS, programName, type UnwrappedCommand } from './unwrapCommand';
import type { SimpleCommand } from './simpleCommands';

/** Interpreters that take a program as an argument or from stdin. */
export const CODE_INTERPRETERS = /^(python[0-9.]*|perl|node|nodejs|ruby|php|deno|bun)$/;

/** Options of interpreters that take a value (so the value is not the script operand). */
const INTERPRETER_OPTIONS_WITH_VALUE = new Set(['-o', '+o', '-O', '+O', '-W', '-X', '-r', '--require', '--import', '--loader', '-I']);
/** Options whose value is program text, per interpreter family. */
const CODE_OPTIONS = new Set(['-c', '-e', '-E', '--eval', '-p', '--print', '-r']);

/** True for a shell or code interpreter. */
export function isInterpreter(program: string): boolean {
  return SHELLS.has(program) || CODE_INTERPRETERS.test(program);
}

/**
 * Does `program args…` read the program it runs from stdin? A shell with `-c` runs its argument (stdin is
 * data); `-s`, `-` or no operand at all means stdin is the program.
 */
export function programFromStdin(program: string, args: string[]): boolean {
  if (!isInterpreter(program)) return false;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-' || a === '-s' || a === '/dev/stdin') return true;
    if (a === '--') return args[k + 1] === undefined || args[k + 1] === '-' || args[k + 1] === '/dev/stdin';
    if (SHELLS.has(program) && /^-[A-Za-z]*c[A-Za-z]*$/.test(a)) return false;
    if (!SHELLS.has(program) && (CODE_OPTIONS.has(a) || a === '-m' || a.startsWith('--eval='))) return false;
    if (a.startsWith('-') || a.startsWith('+')) {
      if (INTERPRETER_OPTIONS_WITH_VALUE.has(a) || (SHELLS.has(program) && ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'].includes(a))) k++;
      continue;
    }
    return false; // a script file operand
  }
  return true;
}

/** The program text an interpreter gets as an argument (`python3 -c CODE`, `node -e CODE`), or null. */
export function inlineCode(program: string, args: string[]): string | null {
  if (!CODE_INTERPRETERS.test(program)) return null;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a.startsWith('--eval=')) return a.slice('--eval='.length);
    if (CODE_OPTIONS.has(a) && (a !== '-r' || program === 'php')) return args[k + 1] ?? null;
    if (!a.startsWith('-')) return null;
  }
  return null;
}

/** The script file a command runs by name (`sh x.sh`, `./x.sh`, `source x.sh`), normalised, or null. */
export function scriptFileRun(words: string[]): string | null {
  if (words.length === 0) return null;
  const program = programName(words[0]);
  if (program === 'source' || program === '.') return words[1] ? normalise(words[1]) : null;
  if (isInterpreter(program)) {
    for (let k = 1; k < words.length; k++) {
      const a = words[k];
      if (a === '--') return words[k + 1] ? normalise(words[k + 1]) : null;
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a) && SHELLS.has(program)) return null;
      if (!SHELLS.has(program) && (CODE_OPTIONS.has(a) || a === '-m')) return null;
      if (a.startsWith('-') || a.startsWith('+')) {
        if (INTERPRETER_OPTIONS_WITH_VALUE.has(a)) k++;
        continue;
      }
      return normalise(a);
    }
    return null;
  }
  return words[0].includes('/') && !words[0].startsWith('/') ? normalise(words[0]) : null;
}

/** `./a/../b.sh` → `b.sh` style normalisation for matching written and run file names. */
export function normalise(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/** What a simple command feeds a shell or interpreter as its program through stdin. */
export type StdinProgram =
  | { kind: 'none' }
  /** Text known now: a here-string or heredoc body. */
  | { kind: 'text'; text: string; interpreter: string }
  /** Read from a file (`sh < x.sh`). */
  | { kind: 'file'; path: string; interpreter: string }
  /** From a pipe: unknown until it runs. */
  | { kind: 'pipe'; interpreter: string };

/** Whether `command` (already unwrapped) runs a program it reads from stdin, and where that comes from. */
export function stdinProgram(command: SimpleCommand, unwrapped: UnwrappedCommand, heredocs: string[]): StdinProgram {
  const words = unwrapped.words;
  if (words.length === 0) return { kind: 'none' };
  const interpreter = programName(words[0]);
  if (!programFromStdin(interpreter, words.slice(1))) return { kind: 'none' };
  // The last stdin redirection wins, as in the shell.
  for (let k = command.redirects.length - 1; k >= 0; k--) {
    const r = command.redirects[k];
    if (r.op === '<<<') return { kind: 'text', text: r.target, interpreter };
    if ((r.op === '<<' || r.op === '<<-') && r.heredoc !== undefined) return { kind: 'text', text: heredocs[r.heredoc] ?? '', interpreter };
    if (r.op === '<') return { kind: 'file', path: normalise(r.target), interpreter };
  }
  return command.pipesBefore > 0 ? { kind: 'pipe', interpreter } : { kind: 'none' };
}

/**
 * A layer that hands text it reads at run time to a shell: `xargs sh -c …` without a literal script,
 * `xargs -I{} sh -c {}`, `find -exec sh -c '… {} …'`, or `xargs bash` (runs the files named in its input).
 * Returns the offending shell command, or null.
 */
export function shellOnRuntimeText(layers: string[][]): string | null {
  for (let i = 0; i + 1 < layers.length; i++) {
    if (programName(layers[i][0]) !== 'xargs') continue;
    const next = layers[i + 1];
    if (runsRuntimeText(next)) return next.join(' ');
    // `xargs git`: the git subcommand itself comes from the input.
    if (programName(next[0]) === 'git' && next.slice(1).every((a) => a.startsWith('-'))) return next.join(' ');
  }
  return null;
}

/** For a command `find -exec` or xargs runs: a shell or interpreter whose program comes from the input. */
export function runsRuntimeText(words: string[]): boolean {
  const program = programName(words[0] ?? '');
  if (!isInterpreter(program)) return false;
  const args = words.slice(1);
  const c = args.findIndex((a) => (SHELLS.has(program) ? /^-[A-Za-z]*c[A-Za-z]*$/.test(a) : CODE_OPTIONS.has(a)));
  if (c < 0) return true; // runs a file named by the input, or reads stdin
  const script = args[c + 1];
  return script === undefined || script.includes('{}');
}

/** Calls through which interpreter code runs shell commands. */
const PROCESS_API = /\b(os\.(system|popen|exec\w*|spawn\w*)|subprocess|Popen|child_process|exec(Sync|FileSync)?\s*\(|spawn(Sync)?\s*\(|system\s*\(|popen|IO\.popen|Open3|shell_exec|passthru|proc_open|Deno\.(run|Command)|Bun\.spawn|pty\.spawn)|`|\$\(|%x[({[]/;

/**
 * The shell commands recognisable in interpreter code that starts processes: each string literal, and the
 * words of each `[...]` list of literals (`subprocess.run(['git', 'push'])`). Empty when the code calls no
 * process API, so `print("sudo")` is not mistaken for a command.
 */
export function embeddedCommands(code: string): string[] {
  if (!PROCESS_API.test(code)) return [];
  const out: string[] = [];
  const literal = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;
  for (let m = literal.exec(code); m; m = literal.exec(code)) out.push(unescape(m[1] ?? m[2] ?? m[3] ?? ''));
  const list = /\[([^\][]*)\]/g;
  for (let m = list.exec(code); m; m = list.exec(code)) {
    const words: string[] = [];
    const inner = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
    for (let w = inner.exec(m[1]); w; w = inner.exec(m[1])) words.push(unescape(w[1] ?? w[2] ?? ''));
    if (words.length > 1) out.push(words.map(quoteWord).join(' '));
  }
  return out.filter((s) => s.trim() !== '');
}

function unescape(s: string): string {
  return s.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
}

function quoteWord(w: string): string {
  return /^[A-Za-z0-9_./=:@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Content written to a file by `echo … > f`, `printf … > f` or `cat > f <<EOF`, for script files run later. */
export function writtenContent(command: SimpleCommand, words: string[], heredocs: string[]): { path: string; text: string; append: boolean } | null {
  const out = command.redirects.find((r) => r.op === '>' || r.op === '>>' || r.op === '>|');
  if (!out || words.length === 0) return null;
  const program = programName(words[0]);
  let text: string | null = null;
  if (program === 'echo') text = `${words.slice(1).filter((w, i) => !(i === 0 && /^-[neE]+$/.test(w))).join(' ')}\n`;
  else if (program === 'printf') text = (words[1] ?? '').replace(/\\n/g, '\n');
  else if (program === 'cat' && words.length === 1) {
    const doc = command.redirects.find((r) => (r.op === '<<' || r.op === '<<-') && r.heredoc !== undefined);
    const here = command.redirects.find((r) => r.op === '<<<');
    if (doc?.heredoc !== undefined) text = heredocs[doc.heredoc] ?? '';
    else if (here) text = here.target;
  }
  return text === null ? null : { path: normalise(out.target), text, append: out.op === '>>' };
}
