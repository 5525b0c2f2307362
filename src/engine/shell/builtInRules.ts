// The built-in deny rules of PRODUCT.md F10, judged on one simple command's program and arguments:
// privilege escalation, git push / reset --hard, recursive rm (and chmod/chown) on /, home, `..` or the
// workspace itself, writes to devices, disk tools, shutdown. Each hit names its rule and what to do instead.

/** A built-in rule that refuses a command: the rule broken and what to do instead. */
export interface RuleHit {
  rule: string;
  instead: string;
}

const PRIVILEGE = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0']);
const POWER = new Set(['shutdown', 'reboot', 'halt', 'poweroff']);
const DISK_TOOLS = new Set(['fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'parted', 'wipefs', 'mke2fs', 'mkswap']);
const HARMLESS_DEVICES = /^\/dev\/(null|zero|full|random|urandom|stdin|stdout|stderr|tty|fd\/\d+|pts\/\d+|shm\/.*|tcp\/.*|udp\/.*)$/;

/** A device path other than the harmless ones (/dev/null, /dev/stdout, …). */
export function isDevice(target: string): boolean {
  return target.startsWith('/dev/') && !HARMLESS_DEVICES.test(target);
}

/** The first built-in rule `program args…` breaks, or null. */
export function builtInRule(program: string, args: string[]): RuleHit | null {
  if (/__goalpost_sub_\d+__/.test(program) || program.includes('$')) {
    return { rule: 'the program name is computed when the command runs, so it cannot be checked (rule: literal program names)', instead: 'Write the program name literally.' };
  }
  if (program === 'coproc') {
    return { rule: '`coproc` runs a command in the background, wired to pipes the checker cannot follow (rule: no coproc)', instead: 'Run the command directly, or in the background with `&` and a log file.' };
  }
  if (PRIVILEGE.has(program)) {
    return { rule: `\`${program}\` runs commands as another user (rule: no privilege escalation)`, instead: 'Do it without root, or call report_blocker if the task truly needs it.' };
  }
  if (program === 'git') return gitRule(args);
  const dotGit = touchesDotGit(program, args);
  if (dotGit) return dotGit;
  if (program === 'rm') return rmRule(args);
  if (program === 'chmod' || program === 'chown' || program === 'chgrp') return recursiveOwnershipRule(program, args);
  if (program === 'dd') {
    const of = args.find((a) => a.startsWith('of='));
    if (of && isDevice(of.slice(3))) return { rule: `dd writes to the device ${of.slice(3)} (rule: no writing to devices)`, instead: 'Write to a file in the workspace.' };
    return null;
  }
  if (program === 'tee' || program === 'shred') {
    const device = args.find(isDevice);
    if (device) return { rule: `${program} writes to the device ${device} (rule: no writing to devices)`, instead: 'Write to a file in the workspace.' };
    return null;
  }
  if (program.startsWith('mkfs') || DISK_TOOLS.has(program)) {
    return { rule: `\`${program}\` formats or partitions disks (rule: no writing to devices)`, instead: 'Leave disks alone; work on files in the workspace.' };
  }
  if (POWER.has(program) || ((program === 'init' || program === 'telinit') && /^[06]$/.test(args[0] ?? ''))
    || (program === 'systemctl' && args.some((a) => ['poweroff', 'reboot', 'halt', 'kexec', 'suspend', 'hibernate'].includes(a)))) {
    return { rule: `\`${program}\` stops or restarts the machine (rule: no shutdown or reboot)`, instead: 'Never do this from a goal.' };
  }
  return null;
}

const GIT_OPTIONS_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--super-prefix', '--exec-path']);

/** Config keys that name a program git runs, or an alias (which can rename `push`). */
const PROGRAM_KEYS = /^(alias\.|core\.(hookspath|fsmonitor|sshcommand|pager|editor|askpass|gitproxy|attributesfile|worktree)$|sequence\.editor$|pager\.|filter\.|diff\.(external$|.+\.(textconv|command)$)|merge\..+\.driver$|credential\.|gpg\.|include\.|includeif\.|uploadpack\.|url\.|protocol\.|remote\..+\.(uploadpack|receivepack|pushurl|url)$)/i;
const CONFIG_READS = new Set(['--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', '-l', 'get', 'list', '--show-origin', '--show-scope']);

function gitRule(args: string[]): RuleHit | null {
  let k = 0;
  while (k < args.length && args[k].startsWith('-')) {
    const a = args[k];
    const setting = a === '-c' ? args[k + 1] ?? '' : a.startsWith('--config-env=') ? a.slice('--config-env='.length) : a === '--config-env' ? args[k + 1] ?? '' : '';
    if (PROGRAM_KEYS.test(setting.split('=')[0])) return gitConfigHit(setting.split('=')[0]);
    k += GIT_OPTIONS_WITH_VALUE.has(a) ? 2 : 1;
  }
  const sub = args[k];
  const rest = args.slice(k + 1);
  if (sub === 'config' && !rest.some((a) => CONFIG_READS.has(a))) {
    const key = rest.find((a) => !a.startsWith('-'));
    if (key && PROGRAM_KEYS.test(key) && rest.filter((a) => !a.startsWith('-')).length >= 1) return gitConfigHit(key);
  }
  if (sub === 'push') {
    return { rule: '`git push` publishes commits (rule: Goalpost never pushes)', instead: 'Commit locally; the user reviews and pushes.' };
  }
  if (sub === 'reset' && rest.includes('--hard')) {
    return { rule: '`git reset --hard` throws away work (rule: never rewrite or discard history)', instead: 'Undo changes with a new commit, `git restore <file>`, or `git reset --soft`.' };
  }
  return null;
}

function gitConfigHit(key: string): RuleHit {
  return {
    rule: `sets the git setting ${key}, which defines an alias or a program git runs (rule: no git aliases, hooks, filters or helpers)`,
    instead: 'Run the git command you need directly; leave the repository configuration to the user.',
  };
}

const MOVERS = new Set(['rm', 'mv', 'rmdir', 'unlink', 'shred', 'truncate']);
const FIND_PATTERN_OPTIONS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex']);
const GIT_SEGMENT = /(^|\/)\.git(\/|$)/i;

/** `rm .git/index`, `mv .git ..`, `find . -name .git -exec rm -rf {} +`: the repository's history at stake. */
function touchesDotGit(program: string, args: string[]): RuleHit | null {
  const hit: RuleHit = {
    rule: `\`${program}\` would delete or move the repository's .git (rule: never touch .git)`,
    instead: 'Leave .git alone; Goalpost commits each task, and the user decides about history.',
  };
  if (MOVERS.has(program)) return args.some((a) => !a.startsWith('-') && GIT_SEGMENT.test(stripSlashes(a))) ? hit : null;
  if (program !== 'find') return null;
  // Destructive actions only: -delete, or -exec of a remover or a shell (`-exec grep … {} +` is fine).
  const acts = args.some((a, i) => a === '-delete'
    || (['-exec', '-execdir', '-ok', '-okdir'].includes(a) && /^(rm|mv|rmdir|unlink|shred|truncate|sh|bash|dash|zsh|ksh|xargs)$/.test((args[i + 1] ?? '').split('/').pop() ?? '')));
  if (!acts) return null;
  const start = args.filter((a, i) => !a.startsWith('-') && (i === 0 || !args[i - 1].startsWith('-'))).some((a) => GIT_SEGMENT.test(stripSlashes(a)));
  const pattern = args.some((a, i) => i > 0 && FIND_PATTERN_OPTIONS.has(args[i - 1]) && /\.git(\W|$)|\.gi\*|\.g\*|^\.\*$|^\*$/i.test(a) && !/^\*\.\w+$/.test(a));
  return start || pattern ? hit : null;
}

function stripSlashes(p: string): string {
  return p.replace(/\/+$/, '');
}

function rmRule(args: string[]): RuleHit | null {
  let recursive = false;
  let force = false;
  const targets: string[] = [];
  let optionsDone = false;
  for (const a of args) {
    if (optionsDone || !a.startsWith('-') || a === '-') targets.push(a);
    else if (a === '--') optionsDone = true;
    else if (a === '--no-preserve-root') {
      return { rule: '`rm --no-preserve-root` can delete the whole system (rule: no rm -rf on /, home or outside the workspace)', instead: 'Delete specific paths inside the workspace.' };
    } else if (a.startsWith('--')) {
      if (a === '--recursive') recursive = true;
      if (a === '--force') force = true;
    } else {
      if (/[rR]/.test(a)) recursive = true;
      if (a.includes('f')) force = true;
    }
  }
  // Without -f, rm still deletes everything it may write when stdin is closed, so -r alone counts.
  if (!recursive) return null;
  const bad = targets.find((t) => dangerousTarget(t, true));
  if (!bad) return null;
  return {
    rule: `\`rm ${force ? '-rf' : '-r'}\` on ${bad} would delete ${describeTarget(bad)} (rule: no rm -rf on /, home, .. or the workspace itself)`,
    instead: 'Delete specific paths inside the workspace (for example `rm -rf ./build`).',
  };
}

function recursiveOwnershipRule(program: string, args: string[]): RuleHit | null {
  if (!args.some((a) => a === '--recursive' || /^-[a-zA-Z]*R/.test(a))) return null;
  const bad = args.find((a) => !a.startsWith('-') && dangerousTarget(a, false));
  if (!bad) return null;
  return { rule: `\`${program} -R\` on ${bad} would change ${describeTarget(bad)} (rule: no recursive chmod/chown on / or home)`, instead: 'Change specific files inside the workspace.' };
}

/** Root, a top-level folder, a home folder, `..` (outside the workspace), or — for rm — the workspace or .git. */
function dangerousTarget(raw: string, workspaceToo: boolean): boolean {
  // `rm -rf $DIR/` with DIR unset is `rm -rf /`.
  if (/^\$\{?\w+\}?\/+\*?$/.test(raw)) return true;
  const t = stripTrailing(raw);
  if (t === '' || t === '~' || /^~[A-Za-z0-9._-]+$/.test(t) || t === '$HOME') return true;
  if (t.startsWith('/')) {
    const segments = normalise(t.slice(1).split('/'));
    if (segments === null || segments.length <= 1) return true;
    return segments.length === 2 && (segments[0] === 'home' || segments[0] === 'Users');
  }
  if (t.startsWith('~/') || t.startsWith('$HOME/')) return false;
  const segments = normalise(t.split('/'));
  if (segments === null) return true; // climbs out of the working directory
  if (!workspaceToo) return false;
  return segments.length === 0 || segments[segments.length - 1].toLowerCase() === '.git';
}

/** Drops trailing `/`, `/*` and `/.` so `~/`, `/*` and `../` read as `~`, `` and `..`. */
function stripTrailing(raw: string): string {
  let t = raw;
  for (;;) {
    const before = t;
    t = t.replace(/\/+$/, '');
    if (t.endsWith('/*') || t.endsWith('/.')) t = t.slice(0, -2);
    if (t === before) return t;
  }
}

/** Resolves `.` and `..` segments; null when the path climbs above its start. */
function normalise(segments: string[]): string[] | null {
  const out: string[] = [];
  for (const s of segments) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(s);
  }
  return out;
}

function describeTarget(t: string): string {
  const s = stripTrailing(t);
  if (s === '') return 'the whole file system';
  if (s.startsWith('~') || s.startsWith('$HOME') || /^\/(home|Users)\//.test(s)) return 'a home folder';
  if (s.startsWith('/')) return 'a system folder';
  if (s.startsWith('$')) return 'the root folder when the variable is empty';
  if (normalise(s.split('/')) === null) return 'files outside the workspace';
  return 'the workspace or its git history';
}
