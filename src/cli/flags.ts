// Every CLI flag as a zod schema: commander collects raw strings, these schemas turn them into typed
// values, and a bad value becomes one clear error naming the flag (exit 1) before anything is touched.
import * as z from 'zod';
import { Goal } from '../engine/goal';
import { ProviderSetting, ReviewFrequency } from '../engine/settings';
import { CliError } from './exitCodes';

const SUFFIX: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000 };

/** A non-negative whole number written plainly or with separators (`200_000`, `200,000`). */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType<number, string> {
  return z
    .string()
    .trim()
    .regex(/^\d[\d_,]*$/, 'expected a whole number')
    .transform((v) => Number(v.replace(/[_,]/g, '')))
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** `unlimited`/`0` → null, else a token count with an optional k/m suffix: `250000`, `250k`, `1.5m`. */
export function parseBudgetText(text: string): number | null | undefined {
  const t = text.trim().toLowerCase().replace(/[_,]/g, '');
  if (t === 'unlimited' || t === '0') return null;
  const m = /^(\d+(?:\.\d+)?)([km]?)$/.exec(t);
  if (!m) return undefined;
  const n = Math.round(Number(m[1]) * SUFFIX[m[2]]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const budgetFlag = z
  .string()
  .refine((v) => parseBudgetText(v) !== undefined, 'expected a number of tokens (e.g. 200000, 200k, 1.5m) or "unlimited"')
  .transform((v) => parseBudgetText(v) ?? null);

const httpUrl = z.string().trim().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'expected an http:// or https:// URL');

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** `DEBUG`, `Info`, `warn`: log levels are case-insensitive (other tools document them in capitals). */
export const logLevelFlag = z
  .string()
  .trim()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['debug', 'info', 'warn', 'error'], { error: 'expected debug, info, warn or error' }));

/** The model endpoint's flags, shared by `run` and `doctor`. */
const EndpointFlagShape = {
  baseUrl: httpUrl.optional(),
  provider: z.string().trim().toLowerCase().pipe(ProviderSetting).optional(),
  apiVersion: nonEmpty.optional(),
  requestIdleTimeout: wholeNumber(1, 3600).optional(),
};

/** Flags shared by every subcommand. */
const CommonFlags = z.object({
  /** The goal's folder; default: the current directory. */
  projectRoot: nonEmpty.optional(),
});

/** `goalpost run` flags after validation. */
export const RunFlags = CommonFlags.extend({
  objective: z.array(z.string()).default([]).transform((words) => words.join(' ').trim()),
  goalFile: nonEmpty.optional(),
  goalId: z
    .string()
    .refine((v) => Goal.shape.id.safeParse(v).success, 'use letters, digits, ".", "_" or "-" (starting with a letter or digit, at most 64)')
    .optional(),
  resume: z.boolean().default(false),
  budget: budgetFlag.optional(),
  model: nonEmpty.optional(),
  planModel: nonEmpty.optional(),
  reviewModel: nonEmpty.optional(),
  /** Unset: the folder's goalpost.logLevel, else info. */
  logLevel: logLevelFlag.optional(),
  maxIterations: wholeNumber(0).optional(),
  json: z.boolean().default(false),
  snapshot: z.boolean().default(false),
  currentBranch: z.boolean().default(false),
  validate: z.array(nonEmpty).default([]),
  protect: z.array(nonEmpty).default([]),
  iterationDelayMs: wholeNumber(0, 600_000).optional(),
  maxSteps: wholeNumber(1, 500).optional(),
  maxAttempts: wholeNumber(1, 20).optional(),
  reviewFrequency: ReviewFrequency.optional(),
  sandbox: z.enum(['workspace-write', 'off']).optional(),
  commandTimeout: wholeNumber(1, 86_400).optional(),
  reviewEvery: wholeNumber(1, 1000).optional(),
  maxStalledIterations: wholeNumber(1, 1000).optional(),
  maxWallClock: wholeNumber(0).optional(),
  sandboxNetwork: z.enum(['on', 'off'], { error: 'expected on or off' }).transform((v) => v === 'on').optional(),
  deny: z.array(nonEmpty).default([]),
  allow: z.array(nonEmpty).default([]),
  backlogPath: nonEmpty.optional(),
  statusLogPath: nonEmpty.optional(),
  ...EndpointFlagShape,
  contextWindow: wholeNumber(4000).optional(),
});
/** Typed `goalpost run` flags. */
export type RunFlags = z.infer<typeof RunFlags>;

/** `goalpost doctor` flags. */
export const DoctorFlags = CommonFlags.extend({
  ...EndpointFlagShape,
  model: nonEmpty.optional(),
  json: z.boolean().default(false),
});
/** Typed `goalpost doctor` flags. */
export type DoctorFlags = z.infer<typeof DoctorFlags>;

/** `goalpost status` flags. */
export const StatusFlags = CommonFlags.extend({ json: z.boolean().default(false) });
/** Typed `goalpost status` flags. */
export type StatusFlags = z.infer<typeof StatusFlags>;

/** `goalpost pause` flags. */
export const PauseFlags = CommonFlags;
/** Typed `goalpost pause` flags. */
export type PauseFlags = z.infer<typeof PauseFlags>;

/** `goalpost clear` flags. */
export const ClearFlags = CommonFlags.extend({ yes: z.boolean().default(false) });
/** Typed `goalpost clear` flags. */
export type ClearFlags = z.infer<typeof ClearFlags>;

/** `goalpost history` flags. */
export const HistoryFlags = CommonFlags.extend({ json: z.boolean().default(false) });
/** Typed `goalpost history` flags. */
export type HistoryFlags = z.infer<typeof HistoryFlags>;

/** `goalpost report` flags. */
export const ReportFlags = CommonFlags.extend({
  format: z.enum(['md', 'html'], { error: 'expected md or html' }).default('md'),
  goalId: z.string().refine((v) => Goal.shape.id.safeParse(v).success, 'not a goal id').optional(),
  output: nonEmpty.optional(),
});
/** Typed `goalpost report` flags. */
export type ReportFlags = z.infer<typeof ReportFlags>;

/** `goalpost edit` flags: the new objective as words or a file. */
export const EditFlags = CommonFlags.extend({
  objective: z.array(z.string()).default([]).transform((words) => words.join(' ').trim()),
  goalFile: nonEmpty.optional(),
});
/** Typed `goalpost edit` flags. */
export type EditFlags = z.infer<typeof EditFlags>;

/** `goalpost budget N` flags. */
export const BudgetFlags = CommonFlags.extend({ tokens: budgetFlag });
/** Typed `goalpost budget` flags. */
export type BudgetFlags = z.infer<typeof BudgetFlags>;

/** `goalpost replan` flags. */
export const ReplanFlags = CommonFlags;
/** Typed `goalpost replan` flags. */
export type ReplanFlags = z.infer<typeof ReplanFlags>;

/** `maxIterations` → `--max-iterations`; the positional objective is named as such. */
export function flagName(key: PropertyKey | undefined): string {
  if (key === undefined) return 'arguments';
  if (key === 'objective') return 'the objective argument';
  if (key === 'tokens') return 'the token budget argument';
  return `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function shown(raw: Record<string, unknown>, key: PropertyKey | undefined): string {
  const value = key === undefined ? undefined : raw[String(key)];
  if (typeof value === 'string') return ` (got "${value}")`;
  return '';
}

/** Validates raw commander options; throws a CliError naming the first bad flag and what it expects. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = issue.path[0];
    return `Invalid value for ${flagName(key)}${shown(raw, key)}: ${issue.message}.`;
  });
  throw new CliError([...new Set(lines)].join('\n'));
}
