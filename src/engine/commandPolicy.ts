// PRODUCT.md F10: the command deny list, checked per sub-command with a real shell parser. A regex over
// the whole line would refuse `echo "git push"` and miss `bash -c "git push"`; here the script is split
// into simple commands (through pipes, lists, subshells, substitutions and wrappers like env, nohup,
// xargs and `bash -c`) and each one is judged on its own words. Programs fed to a shell some other way
// (heredoc, here-string, interpreter code, a script file) are checked too where they can be known
// (see shell/indirectRules.ts).
import { ShellSyntaxError, scanScript, substitutionsIn, type Substitution } from './shell/scanScript';
import { parseStatements, type Redirect, type SimpleCommand } from './shell/simpleCommands';
import { SHELLS, programName, unwrapCommand, type UnwrappedCommand } from './shell/unwrapCommand';
import { builtInRule, isDevice } from './shell/builtInRules';
import {
  CODE_INTERPRETERS, embeddedCommands, inlineCode, normalise, runsRuntimeText, scriptFileRun, shellOnRuntimeText, stdinProgram, writtenContent,
} from './shell/indirectRules';

/** The user's extra deny entries and optional allow-list (settings commandDenyList / commandAllowList). */
export interface CommandPolicy {
  denyList: string[];
  allowList: string[];
}

/** The verdict on one command line; a refusal says which rule and what to do instead. */
export type CommandVerdict = { allowed: true } | { allowed: false; reason: string };

const MAX_DEPTH = 8;
const DOWNLOADERS = new Set(['curl', 'wget']);
/** Builtins that run nothing else; allow-list mode does not ask the user to list them. */
const HARMLESS_BUILTINS = new Set(['cd', 'pwd', 'echo', 'printf', 'true', 'false', ':', 'test', '[', '[[', ']]', 'export', 'unset', 'set', 'exit', 'return', 'shift', 'local', 'declare', 'read', 'wait']);
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '<>', '&>', '&>>', '>&']);

/** Files a check may read: script files the command runs (workspace-relative path → content). */
export type ScriptFiles = ReadonlyMap<string, string>;

/** What one check carries down through nested scripts. */
interface CheckState {
  policy: CommandPolicy;
  /** Script files known before the command runs (read from the workspace by the caller). */
  files: ScriptFiles;
  /** Files written earlier on the same command line (`echo … > x.sh && sh x.sh`). */
  written: Map<string, string>;
}

/**
 * Checks every sub-command of `command` against the built-in rules and the user's policy. `files` holds
 * the content of script files the command runs (scriptFilesRun tells which), so `sh x.sh` is judged by
 * what x.sh does.
 */
export function checkCommand(command: string, policy: CommandPolicy, files: ScriptFiles = new Map()): CommandVerdict {
  if (command.includes('\0')) return deny('the command contains a NUL byte', 'Remove it.');
  try {
    return checkScript(command, { policy, files, written: new Map() }, 0);
  } catch (err) {
    if (err instanceof ShellSyntaxError) {
      return deny(`the command could not be parsed (${err.message})`, 'Fix the quoting, or split it into simpler commands.');
    }
    throw err;
  }
}

function deny(rule: string, instead: string, subCommand?: string): CommandVerdict {
  const where = subCommand ? `\`${shorten(subCommand)}\`: ` : '';
  return { allowed: false, reason: `${where}${rule}. ${instead}`.trim() };
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The workspace-relative script files `command` would run by name, for checkCommand's `files`. */
export function scriptFilesRun(command: string): string[] {
  const found = new Set<string>();
  const visit = (script: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const scanned = scanScript(script);
    for (const sub of scanned.substitutions) visit(sub.body, depth + 1);
    for (const statement of parseStatements(scanned.text).statements) {
      for (const c of statement.commands) {
        const u = unwrapCommand(c.words);
        const file = scriptFileRun(u.words);
        if (file) found.add(file);
        const fed = stdinProgram(c, u, scanned.heredocs);
        if (fed.kind === 'file') found.add(fed.path);
        for (const s of u.scripts) visit(s, depth + 1);
      }
    }
  };
  try {
    visit(command, 0);
  } catch {
    // unreadable: checkCommand refuses it anyway
  }
  return [...found].filter((f) => f !== '' && !f.startsWith('/'));
}

function checkScript(script: string, state: CheckState, depth: number): CommandVerdict {
  if (depth > MAX_DEPTH) return deny('the command nests shells or substitutions too deeply to check', 'Write it as a plain command or a script file.');
  const scanned = scanScript(script);
  for (const sub of scanned.substitutions) {
    const verdict = checkScript(sub.body, state, depth + 1);
    if (!verdict.allowed) return verdict;
  }
  const parsed = parseStatements(scanned.text);
  if (parsed.forkBombs.length > 0) {
    return deny(`defines \`${parsed.forkBombs[0]}\`, a fork bomb that calls itself in a pipe (rule: no fork bombs)`, 'Remove it.');
  }
  for (const statement of parsed.statements) {
    const unwrapped = statement.commands.map((c) => unwrapCommand(c.words));
    // The download rule first: `curl … | sh` deserves its own reason, not the general pipe one.
    const piped = checkDownloadPipe(statement.commands, unwrapped, scanned.substitutions, depth);
    if (!piped.allowed) return piped;
    for (let k = 0; k < statement.commands.length; k++) {
      const verdict = checkSimple(statement.commands[k], unwrapped[k], scanned, state, depth);
      if (!verdict.allowed) return verdict;
      const written = writtenContent(statement.commands[k], unwrapped[k].words, scanned.heredocs);
      if (written) state.written.set(written.path, `${written.append ? state.written.get(written.path) ?? '' : ''}${written.text}`);
    }
  }
  return { allowed: true };
}

function checkSimple(
  command: SimpleCommand,
  unwrapped: UnwrappedCommand,
  scanned: { substitutions: Substitution[]; heredocs: string[] },
  state: CheckState,
  depth: number,
): CommandVerdict {
  const subs = scanned.substitutions;
  const policy = state.policy;
  const text = render([...command.words, ...command.redirects.map((r) => `${r.op} ${r.target}`)], subs);
  const redirect = checkRedirects(command.redirects, text);
  if (!redirect.allowed) return redirect;
  const indirect = checkIndirect(command, unwrapped, scanned.heredocs, state, depth, text);
  if (!indirect.allowed) return indirect;
  if (unwrapped.programs.some((p) => SHELLS.has(p) || CODE_INTERPRETERS.test(p) || p === 'eval' || p === 'source' || p === '.')) {
    const fetched = command.words.flatMap(substitutionsIn).some((i) => subs[i] !== undefined && runsDownloader(subs[i].body, depth));
    if (fetched) {
      return deny('runs code fetched from the network (rule: no curl/wget output executed by a shell or interpreter)', 'Download the file, read it, and run it as a separate step if it is safe.', text);
    }
  }
  for (const script of unwrapped.scripts) {
    const verdict = checkScript(script, state, depth + 1);
    if (!verdict.allowed) return verdict;
  }
  for (const nested of unwrapped.nested) {
    // `find -exec sh -c '…' \;` runs a command of its own: peel and check it like any other.
    if (runsRuntimeText(nested)) {
      return deny(`\`find -exec ${shorten(nested.join(' '))}\` hands file names to a shell as program text (rule: no shell running text it reads at run time)`, 'Use -exec with the command itself (`-exec grep -l x {} +`), or write a script file and -exec it.', text);
    }
    const inner = unwrapCommand(nested);
    for (const script of inner.scripts) {
      const verdict = checkScript(script, state, depth + 1);
      if (!verdict.allowed) return verdict;
    }
    const verdict = checkWords(inner.words, inner.layers, policy, nested.join(' '));
    if (!verdict.allowed) return verdict;
  }
  return checkWords(unwrapped.words, unwrapped.layers, policy, text);
}

/** Programs that reach a shell or interpreter other than as words on the line (see indirectRules.ts). */
function checkIndirect(command: SimpleCommand, unwrapped: UnwrappedCommand, heredocs: string[], state: CheckState, depth: number, text: string): CommandVerdict {
  const runtime = shellOnRuntimeText(unwrapped.layers);
  if (runtime) {
    return deny(`xargs hands its input to \`${shorten(runtime)}\` as program text or script names (rule: no shell running text it reads at run time)`, 'Run the commands directly, or give the shell a literal script with -c.', text);
  }
  const fed = stdinProgram(command, unwrapped, heredocs);
  if (fed.kind === 'pipe') {
    return deny(`pipes text into \`${fed.interpreter}\`, which runs it as a program (rule: no piping into a shell or interpreter)`, 'Write the commands out directly, or put them in a script file in the workspace and run that file.', text);
  }
  if (fed.kind === 'text') {
    const verdict = checkProgramText(fed.interpreter, fed.text, state, depth);
    if (!verdict.allowed) return verdict;
  }
  if (fed.kind === 'file') {
    const verdict = checkScriptFile(fed.interpreter, fed.path, state, depth);
    if (!verdict.allowed) return verdict;
  }
  const words = unwrapped.words;
  if (words.length === 0) return { allowed: true };
  const program = programName(words[0]);
  const code = inlineCode(program, words.slice(1));
  if (code !== null) {
    const verdict = checkProgramText(program, code, state, depth);
    if (!verdict.allowed) return verdict;
  }
  const file = scriptFileRun(words);
  if (file) return checkScriptFile(SHELLS.has(program) || CODE_INTERPRETERS.test(program) ? program : 'sh', file, state, depth);
  return { allowed: true };
}

/** A shell script, or the shell commands recognisable in interpreter code. */
function checkProgramText(interpreter: string, program: string, state: CheckState, depth: number): CommandVerdict {
  if (SHELLS.has(interpreter) || interpreter === 'source' || interpreter === '.') return checkScript(program, state, depth + 1);
  for (const embedded of embeddedCommands(program)) {
    let verdict: CommandVerdict;
    try {
      verdict = checkScript(embedded, state, depth + 1);
    } catch (err) {
      if (err instanceof ShellSyntaxError) continue; // a string that is not shell syntax runs nothing
      throw err;
    }
    if (!verdict.allowed) {
      return { allowed: false, reason: `\`${interpreter}\` code runs a command: ${verdict.reason}` };
    }
  }
  return { allowed: true };
}

/**
 * A shell script file run by name, judged by its content when it is known (written on this line or read
 * before). Files of other interpreters are left to the sandbox: a whole program is not a command line.
 */
function checkScriptFile(interpreter: string, file: string, state: CheckState, depth: number): CommandVerdict {
  const content = state.written.get(normalise(file)) ?? state.files.get(normalise(file));
  if (content === undefined) return { allowed: true };
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(content);
  const named = shebang ? programName(shebang[1] === '/usr/bin/env' || shebang[1] === 'env' ? shebang[2] ?? '' : shebang[1]) : interpreter;
  if (!SHELLS.has(named) && !(shebang === null && (interpreter === 'source' || interpreter === '.'))) return { allowed: true };
  const verdict = checkScript(content, state, depth + 1);
  return verdict.allowed ? verdict : { allowed: false, reason: `the script ${file} it runs is refused: ${verdict.reason}` };
}

/** The words as the model wrote them, substitutions shown again instead of placeholders. */
function render(words: string[], subs: Substitution[]): string {
  return words
    .map((w) => w.replace(/__goalpost_sub_(\d+)__/g, (_m, i: string) => {
      const sub = subs[Number(i)];
      return sub ? `${sub.kind === 'process' ? '<' : '$'}(${sub.body})` : '$(…)';
    }))
    .join(' ');
}

function checkRedirects(redirects: Redirect[], text: string): CommandVerdict {
  for (const r of redirects) {
    if (WRITE_REDIRECTS.has(r.op) && isDevice(r.target)) {
      return deny(`writes to the device ${r.target} (rule: no writing to devices)`, 'Write to a file in the workspace, or to /dev/null.', text);
    }
  }
  return { allowed: true };
}

/** The built-in rules on one command's words, then the user's deny list and allow-list. */
function checkWords(words: string[], layers: string[][], policy: CommandPolicy, text: string): CommandVerdict {
  if (words.length === 0) return { allowed: true };
  const program = programName(words[0]);
  const args = words.slice(1);
  const builtIn = builtInRule(program, args);
  if (builtIn) return deny(builtIn.rule, builtIn.instead, text);
  for (const entry of policy.denyList) {
    const entryWords = entryToWords(entry);
    if (entryWords.length > 0 && layers.some((layer) => startsWith(layer, entryWords))) {
      return deny(`matches the deny-list entry "${entry}" (setting goalpost.commandDenyList)`, 'Do it another way, or ask the user to change the setting.', text);
    }
  }
  if (policy.allowList.length > 0 && !HARMLESS_BUILTINS.has(program)) {
    const listed = policy.allowList.some((entry) => {
      const entryWords = entryToWords(entry);
      return entryWords.length > 0 && startsWith(words, entryWords);
    });
    if (!listed) {
      return deny(`\`${program}\` is not in the allow-list (setting goalpost.commandAllowList: ${policy.allowList.join(', ')})`, 'Use one of the allowed commands, or ask the user to extend the list.', text);
    }
  }
  return { allowed: true };
}

/** `curl … | bash`: a downloader earlier in a pipe than a shell or interpreter reading its program from stdin. */
function checkDownloadPipe(commands: SimpleCommand[], unwrapped: UnwrappedCommand[], subs: Substitution[], depth: number): CommandVerdict {
  for (let a = 0; a < commands.length; a++) {
    const downloads = unwrapped[a].programs.some((p) => DOWNLOADERS.has(p))
      || commands[a].words.flatMap(substitutionsIn).some((i) => subs[i] !== undefined && runsDownloader(subs[i].body, depth));
    if (!downloads) continue;
    for (let b = a + 1; b < commands.length; b++) {
      if (commands[b].pipesBefore <= commands[a].pipesBefore) continue;
      const words = unwrapped[b].words;
      const intoShell = words.length === 0 && unwrapped[b].programs.some((p) => SHELLS.has(p)); // `| bash -c …`
      if (intoShell || (words.length > 0 && readsProgramFromStdin(programName(words[0]), words.slice(1)))) {
        return deny('pipes a download into a shell or interpreter (rule: no curl/wget piped to a shell)', 'Download to a file, read it, then run it as a separate step if it is safe.', `${render(commands[a].words, subs)} | ${render(commands[b].words, subs)}`);
      }
    }
  }
  return { allowed: true };
}

const INTERPRETER_OPTIONS_WITH_VALUE = new Set(['-o', '+o', '-O', '+O', '-W', '-X', '-r', '--require', '--import', '--loader', '-I']);

/** Does this shell or interpreter read the program it runs from stdin? */
function readsProgramFromStdin(program: string, args: string[]): boolean {
  if (!SHELLS.has(program) && program !== 'source' && program !== '.' && !CODE_INTERPRETERS.test(program)) return false;
  if (args.some((a) => ['-c', '-m', '-e', '-E', '-p', '--eval', '--print'].includes(a) || a.startsWith('--eval='))) return SHELLS.has(program);
  let operand: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-' || a === '-s') return true;
    if (a === '--') {
      operand = args[k + 1];
      break;
    }
    if (a.startsWith('-') || a.startsWith('+')) {
      if (INTERPRETER_OPTIONS_WITH_VALUE.has(a)) k++;
      continue;
    }
    operand = a;
    break;
  }
  return operand === undefined || operand === '/dev/stdin';
}

/** Does a substitution body run curl or wget (anywhere, also through wrappers)? */
function runsDownloader(body: string, depth: number): boolean {
  if (depth > MAX_DEPTH) return true;
  const scanned = scanScript(body);
  if (scanned.substitutions.some((s) => runsDownloader(s.body, depth + 1))) return true;
  for (const statement of parseStatements(scanned.text).statements) {
    for (const c of statement.commands) {
      const u = unwrapCommand(c.words);
      if (u.programs.some((p) => DOWNLOADERS.has(p))) return true;
      if (u.scripts.some((s) => runsDownloader(s, depth + 1))) return true;
    }
  }
  return false;
}

function entryToWords(entry: string): string[] {
  try {
    const { text } = scanScript(entry);
    const first = parseStatements(text).statements[0]?.commands[0]?.words ?? [];
    return first.length > 0 ? [programName(first[0]), ...first.slice(1)] : [];
  } catch {
    return entry.trim().split(/\s+/).filter(Boolean);
  }
}

function startsWith(words: string[], prefix: string[]): boolean {
  if (words.length < prefix.length) return false;
  return prefix.every((w, i) => (i === 0 ? programName(words[0]) === w : words[i] === w));
}
