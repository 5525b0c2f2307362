// Engine settings: one zod schema shared by the VS Code settings reader and the CLI flags, so a bad
// value is reported the same way everywhere (naming the setting, falling back to its default).
import * as z from 'zod';

export const PriceEntry = z.object({
  /** Dollars per million input tokens. */
  input: z.number().nonnegative(),
  /** Dollars per million cached input tokens. */
  cachedInput: z.number().nonnegative(),
  /** Dollars per million output tokens (reasoning tokens are billed as output). */
  output: z.number().nonnegative(),
});
export type PriceEntry = z.infer<typeof PriceEntry>;

export const ReviewFrequency = z.enum(['every-task', 'every-n-tasks', 'audit-only', 'off']);
export type ReviewFrequency = z.infer<typeof ReviewFrequency>;

/** Kinds of OpenAI-compatible server (PRODUCT.md F9.1); `auto` infers one from the base URL. */
export const PROVIDER_NAMES = ['openai', 'azure', 'ollama', 'lmstudio', 'vllm', 'llamacpp', 'other'] as const;
export const ProviderSetting = z.enum(['auto', ...PROVIDER_NAMES]);
export type ProviderSetting = z.infer<typeof ProviderSetting>;

/**
 * A file of Goalpost's own inside the goal's folder (BACKLOG.md, the status log). Goalpost writes it from its own,
 * unsandboxed process, so the setting may not lead out of the folder or into git's, Goalpost's or the editor's
 * configuration, where the text written (task titles the agent chose) could be run or read as settings.
 */
const OwnFilePath = z.string().min(1).refine((p) => {
  // A control character (a newline) would write lines of its own into .git/info/exclude; spaces at either end are a typo.
  if (/[\u0000-\u001f\u007f]/.test(p) || p !== p.trim() || /^([\\/]|[A-Za-z]:)/.test(p) || p === '~' || /^~[\\/]/.test(p)) return false;
  const parts = p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (parts.length === 0 || parts.includes('..')) return false;
  return !parts.some((s) => s.toLowerCase() === '.git') && !['.goalpost', '.vscode'].includes(parts[0].toLowerCase());
}, 'must be a relative path inside the goal\'s folder, outside .git/, .goalpost/ and .vscode/, without control characters or spaces at either end');

/**
 * Settings the agent could loosen by writing a file they are read from (`.vscode/settings.json`): they are taken
 * when a run starts (Set Goal, Resume, a restart) and hold for the whole run (GoalSession.pinRunSettings).
 */
export const RUN_PINNED_SETTINGS = ['sandbox', 'sandboxNetwork', 'commandDenyList', 'commandAllowList', 'protectedPaths', 'backlogPath'] as const;

export const EngineSettings = z.object({
  model: z.string().min(1).default('gpt-5.1'),
  planModel: z.string().default(''),
  reviewModel: z.string().default(''),
  defaultTokenBudget: z.number().int().nonnegative().default(2_000_000),
  validationCommands: z.array(z.string().min(1)).default([]),
  maxAttemptsPerTask: z.number().int().min(1).max(20).default(3),
  maxStepsPerIteration: z.number().int().min(1).max(500).default(40),
  contextWindowTokens: z.number().int().min(4000).default(128_000),
  reviewFrequency: ReviewFrequency.default('every-task'),
  reviewEveryNTasks: z.number().int().min(1).default(3),
  noProgressIterations: z.number().int().min(1).default(3),
  maxIterations: z.number().int().nonnegative().default(0),
  maxWallClockMinutes: z.number().int().nonnegative().default(0),
  iterationDelayMs: z.number().int().nonnegative().default(1000),
  commandTimeoutSeconds: z.number().int().min(1).default(600),
  commandDenyList: z.array(z.string().min(1)).default([]),
  commandAllowList: z.array(z.string().min(1)).default([]),
  /** Globs the agent may not change, added to the goal's own (F10). */
  protectedPaths: z.array(z.string().min(1)).default([]),
  sandbox: z.enum(['workspace-write', 'off']).default('workspace-write'),
  sandboxNetwork: z.boolean().default(false),
  branchMode: z.enum(['goal-branch', 'current']).default('goal-branch'),
  backlogPath: OwnFilePath.default('BACKLOG.md'),
  statusLogPath: OwnFilePath.default('goal_status.log'),
  autoResume: z.boolean().default(false),
  prices: z.record(z.string(), PriceEntry).default({}),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // The model endpoint's shape (read by the model adapter, not the engine).
  provider: ProviderSetting.default('auto'),
  apiVersion: z.string().trim().default(''),
  requestIdleTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
});
export type EngineSettings = z.infer<typeof EngineSettings>;

export interface SettingsProblem {
  setting: string;
  message: string;
}

/**
 * Parses raw settings key by key: a bad value is replaced by its default and reported, so one typo
 * never stops the product and the user is told exactly which setting was ignored.
 */
export function parseSettings(raw: Record<string, unknown>): { settings: EngineSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const clean: Record<string, unknown> = {};
  const shape = EngineSettings.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const value = raw[key];
    if (value === undefined) continue;
    const parsed = shape[key].safeParse(value);
    if (parsed.success) clean[key] = parsed.data;
    else problems.push({ setting: key, message: parsed.error.issues.map((i) => i.message).join('; ') });
  }
  return { settings: EngineSettings.parse(clean), problems };
}

/** The model a role uses: planner and reviewer fall back to the actor model. */
export function modelFor(settings: EngineSettings, role: 'planner' | 'actor' | 'reviewer' | 'compaction'): string {
  if (role === 'planner' && settings.planModel) return settings.planModel;
  if (role === 'reviewer' && settings.reviewModel) return settings.reviewModel;
  return settings.model;
}
