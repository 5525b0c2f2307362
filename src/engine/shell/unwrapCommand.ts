// Peels transparent wrappers off a simple command so rules see what really runs: `env X=1 sudo id`,
// `nohup git push`, `xargs rm -rf`, `timeout 5 bash -c "…"`. Text handed to a shell (`bash -c`, `eval`,
// `watch`, `env -S`) comes back as a script to check on its own; `find -exec` commands come back as
// nested commands.

/** What a simple command runs once wrappers are peeled off. */
export interface UnwrappedCommand {
  /** The command actually run, program first; empty when nothing runs (`env` alone, `command -v x`). */
  words: string[];
  /** Every layer seen, outermost first (for deny-list prefixes that name a wrapper). */
  layers: string[][];
  /** Program names of every layer, as basenames. */
  programs: string[];
  /** Script text passed to a shell or eval, to be parsed and checked as a script. */
  scripts: string[];
  /** Commands run by `find -exec …`, checked like any other command. */
  nested: string[][];
}

/** Words that only open or close shell syntax; the command starts after them. */
const KEYWORDS = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac']);
/** Compound-command headers whose words run nothing themselves. */
const HEADERS = new Set(['for', 'select', 'case', 'in']);
/** Shells whose `-c` argument is a script. */
export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish']);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** The last path segment of a program word (`/usr/bin/sudo` → `sudo`). */
export function programName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 && slash < word.length - 1 ? word.slice(slash + 1) : word;
}

/** Peels keywords, assignments and wrappers off `words`. */
export function unwrapCommand(input: string[]): UnwrappedCommand {
  const result: UnwrappedCommand = { words: [], layers: [], programs: [], scripts: [], nested: [] };
  let words = stripPrefix(input);
  for (let guard = 0; guard < 32 && words.length > 0; guard++) {
    result.layers.push(words);
    const program = programName(words[0]);
    result.programs.push(program);
    const peeled = peel(program, words.slice(1), result);
    if (peeled === null) {
      result.words = words;
      if (program === 'find') result.nested.push(...findExecCommands(words));
      return result;
    }
    words = stripPrefix(peeled);
  }
  return result;
}

/** Drops leading keywords, assignments and `function name` so the program comes first. */
function stripPrefix(input: string[]): string[] {
  let words = input;
  for (;;) {
    if (words.length === 0) return words;
    const w = words[0];
    if (HEADERS.has(w)) return [];
    if (w === 'function') words = words.slice(2);
    else if (KEYWORDS.has(w) || ASSIGNMENT.test(w)) words = words.slice(1);
    else return words;
  }
}

/**
 * The words a wrapper runs, or null when `program` is not a wrapper. Scripts found on the way are
 * recorded in `result`.
 */
function peel(program: string, args: string[], result: UnwrappedCommand): string[] | null {
  switch (program) {
    case 'env':
      return peelEnv(args, result);
    case 'command':
      if (args.some((a) => /^-[a-zA-Z]*[vV]/.test(a))) return []; // `command -v x` only looks x up
      return skipOptions(args, new Set());
    case 'builtin':
    case 'nohup':
    case 'time':
    case 'setsid':
      return skipOptions(args, new Set());
    case 'exec':
      return skipOptions(args, new Set(['-a']));
    case 'nice':
      return skipOptions(args, new Set(['-n', '--adjustment']));
    case 'ionice':
      return skipOptions(args, new Set(['-c', '-n', '--class', '--classdata']));
    case 'stdbuf':
      return skipOptions(args, new Set(['-i', '-o', '-e', '--input', '--output', '--error']));
    case 'timeout': {
      const rest = skipOptions(args, new Set(['-s', '-k', '--signal', '--kill-after']));
      return rest.slice(1); // the duration
    }
    case 'xargs': {
      const rest = skipOptions(args, new Set(['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars']));
      return rest.length > 0 ? rest : ['echo'];
    }
    case 'eval':
      result.scripts.push(args.join(' '));
      return [];
    case 'watch': {
      const exec = args.some((a) => a === '-x' || a === '--exec');
      const rest = skipOptions(args, new Set(['-n', '--interval', '-d', '--differences']));
      if (exec) return rest;
      result.scripts.push(rest.join(' '));
      return [];
    }
    default:
      if (SHELLS.has(program)) return peelShell(args, result);
      return null;
  }
}

/** `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=VALUE]… [command…]`. */
function peelEnv(args: string[], result: UnwrappedCommand): string[] {
  let k = 0;
  while (k < args.length) {
    const a = args[k];
    if (a === '--') {
      k++;
      break;
    }
    if (a === '-S' || a === '--split-string') {
      result.scripts.push(args.slice(k + 1).join(' '));
      return [];
    }
    if (a.startsWith('--split-string=') || (a.startsWith('-S') && a.length > 2)) {
      result.scripts.push([a.startsWith('-S') ? a.slice(2) : a.slice('--split-string='.length), ...args.slice(k + 1)].join(' '));
      return [];
    }
    if (a === '-u' || a === '-C' || a === '--unset' || a === '--chdir') k += 2;
    else if (a.startsWith('-') && a.length > 1) k++;
    else if (ASSIGNMENT.test(a)) k++;
    else break;
  }
  return args.slice(k);
}

/** `bash [options] -c SCRIPT [args…]` yields SCRIPT; a shell running a file or stdin is the program itself. */
function peelShell(args: string[], result: UnwrappedCommand): string[] | null {
  let hasC = false;
  let k = 0;
  while (k < args.length) {
    const a = args[k];
    if (a === '--' || a === '-') {
      k++;
      break;
    }
    if (a === '-o' || a === '+o' || a === '-O' || a === '+O' || a === '--rcfile' || a === '--init-file') {
      k += 2;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(a)) {
      if (a.startsWith('-') && a.includes('c')) hasC = true;
      k++;
      continue;
    }
    if (a.startsWith('--')) {
      k++;
      continue;
    }
    break;
  }
  if (!hasC) return null;
  if (k < args.length) result.scripts.push(args[k]);
  return [];
}

/** Skips options (and the values of those in `withValue`) up to the first operand or `--`. */
function skipOptions(args: string[], withValue: Set<string>): string[] {
  let k = 0;
  while (k < args.length) {
    const a = args[k];
    if (a === '--') return args.slice(k + 1);
    if (!a.startsWith('-') || a === '-') break;
    k += withValue.has(a) ? 2 : 1;
  }
  return args.slice(k);
}

/** The commands of `find … -exec cmd args ;` (and -execdir, -ok, -okdir). */
function findExecCommands(words: string[]): string[][] {
  const out: string[][] = [];
  for (let k = 1; k < words.length; k++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(words[k])) continue;
    const cmd: string[] = [];
    for (k = k + 1; k < words.length && words[k] !== ';' && words[k] !== '+'; k++) cmd.push(words[k]);
    if (cmd.length > 0) out.push(cmd);
  }
  return out;
}
