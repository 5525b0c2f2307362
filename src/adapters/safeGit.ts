// How Goalpost itself runs git (PRODUCT.md F10): nothing the agent could have planted in the repository may
// run in Goalpost's own process, outside the sandbox, with its environment. Hooks, fsmonitor, pagers,
// editors, credential helpers, ssh and signing programs are switched off for every call, and the clean /
// smudge / process filters defined in the repository's own config (local or worktree scope, where the agent
// can write with the sandbox off) are emptied, its merge drivers replaced by git's own merge; drivers from
// the user's global config (git-lfs) keep working. Diffs are taken with --no-ext-diff --no-textconv by the
// callers. git gets the same stripped environment as commands (no API keys), without system config, and
// never prompts.
import { simpleGit, type SimpleGit } from 'simple-git';
import { childEnv } from './childEnv';

/** Git variables we set or pass through; every other GIT_* variable (and PAGER, EDITOR…) is dropped. */
export const ALLOWED_GIT_ENV = [
  'GIT_TERMINAL_PROMPT', 'GIT_INDEX_FILE', 'GIT_OPTIONAL_LOCKS', 'GIT_CONFIG_NOSYSTEM', 'GIT_CEILING_DIRECTORIES',
  'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE',
];
/** Plain variables simple-git guards (they name programs git would run). */
const GUARDED_PLAIN = new Set(['editor', 'pager', 'visual', 'prefix', 'ssh_askpass']);

/**
 * `-c` settings of every Goalpost git call: no hooks (an agent-written .git/hooks/pre-commit, post-checkout,
 * reference-transaction…), no fsmonitor command, and no program git could start on its own.
 */
export const SAFE_GIT_CONFIG: readonly string[] = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.pager=cat',
  'core.editor=true',
  'sequence.editor=true',
  'core.askPass=false',
  'core.sshCommand=false',
  'credential.helper=',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'log.showSignature=false',
  'gc.auto=0',
  'maintenance.auto=false',
];

/** The simple-git guards our fixed settings trip (they switch programs off, which is the point). */
const UNSAFE_FLAGS = {
  allowUnsafeHooksPath: true,
  allowUnsafeFsMonitor: true,
  allowUnsafePager: true,
  allowUnsafeEditor: true,
  allowUnsafeAskPass: true,
  allowUnsafeSshCommand: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeFilter: true,
  allowUnsafeMergeDriver: true,
} as const;

/** The environment of Goalpost's git: commands' stripped environment, git's own variables guarded. */
export function safeGitEnv(base: NodeJS.ProcessEnv, extraSecrets: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(childEnv(base, extraSecrets))) {
    if (value === undefined) continue;
    const lower = key.toLowerCase();
    const guarded = lower.startsWith('git_') || GUARDED_PLAIN.has(lower);
    if (guarded && !ALLOWED_GIT_ENV.includes(key)) continue;
    env[key] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_CONFIG_NOSYSTEM = '1';
  return env;
}

/** A simple-git client in `root` with the safe settings plus `extraConfig` (`key=value`). */
export function safeSimpleGit(root: string, env: Record<string, string>, extraConfig: readonly string[] = []): SimpleGit {
  return simpleGit({
    baseDir: root,
    allowEnvironment: ALLOWED_GIT_ENV,
    config: [...SAFE_GIT_CONFIG, ...extraConfig],
    unsafe: UNSAFE_FLAGS,
  }).env(env);
}

const REPO_SCOPES = new Set(['local', 'worktree']);
/**
 * What a merge driver of the repository's config is replaced with: git's own three-way text merge. An empty
 * driver is not skipped like an empty filter: git tries to run "" and the merge (a revert) fails.
 */
export const BUILTIN_MERGE_DRIVER = 'git merge-file --marker-size=%L %A %O %B';
const FILTER_KEY = /^filter\.(.+)\.(clean|smudge|process|required)$/i;
const MERGE_KEY = /^merge\.(.+)\.driver$/i;

/**
 * `key=value` settings that empty every filter and replace every merge driver the repository's own config
 * defines with git's own merge (`git config -z --list --show-scope` output in). Empty commands make git skip
 * the filter.
 */
export function repoDriverOverrides(listing: string): string[] {
  const out = new Set<string>();
  const fields = listing.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i];
    const entry = fields[i + 1];
    if (!REPO_SCOPES.has(scope)) continue;
    const key = entry.split('\n', 1)[0];
    const filter = FILTER_KEY.exec(key);
    const driver = filter?.[1] ?? MERGE_KEY.exec(key)?.[1];
    if (driver !== undefined && /[=\n]/.test(driver)) {
      throw new Error(`The repository's git config defines the driver "${driver}", whose name Goalpost cannot switch off for its own git calls. Remove it from .git/config and resume.`);
    }
    if (filter) {
      const name = filter[1];
      for (const part of ['clean', 'smudge', 'process']) out.add(`filter.${name}.${part}=`);
      out.add(`filter.${name}.required=false`);
      continue;
    }
    const merge = MERGE_KEY.exec(key);
    if (merge) out.add(`merge.${merge[1]}.driver=${BUILTIN_MERGE_DRIVER}`);
  }
  return [...out];
}

/** repoDriverOverrides of the repository at `root`, read now. */
export async function readRepoDriverOverrides(root: string, env: Record<string, string>): Promise<string[]> {
  let listing = '';
  try {
    listing = await safeSimpleGit(root, env).raw(['config', '-z', '--list', '--show-scope']);
  } catch {
    // not a repository (yet): there is no repository config to distrust
  }
  return repoDriverOverrides(listing);
}
