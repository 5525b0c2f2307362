// The `--json` event stream of `goalpost run` (F8): one JSON object per line on stdout, each with `v`
// (the schema version) and `type`. Documented in docs/events.md; this schema is the contract the
// tests hold every emitted line to. Fields are only ever added within a version; a rename or removal
// bumps EVENTS_SCHEMA_VERSION.
import * as z from 'zod';
import { GoalStatus, Phase, Role, TokenUsage } from '../engine/goal';
import { StatusJson } from './statusJson';

/** The version every event carries as `v`. */
export const EVENTS_SCHEMA_VERSION = 1;

const base = { v: z.literal(EVENTS_SCHEMA_VERSION) };

/** A line for people (what plain mode prints), e.g. "Goal g-… started in /repo on branch goalpost/g-…". */
export const MessageEvent = z.strictObject({ ...base, type: z.literal('message'), message: z.string() });
/** A warning (budget at 80 %, sandbox off, a goal-quality hint, an ignored setting). */
export const WarningEvent = z.strictObject({ ...base, type: z.literal('warning'), message: z.string() });
/** The goal's state changed (status, phase or iteration). */
export const StateEvent = z.strictObject({
  ...base,
  type: z.literal('state'),
  goalId: z.string(),
  status: GoalStatus,
  phase: Phase.nullable(),
  iteration: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
/** One goal_status.log line. */
export const StatusEventJson = z.strictObject({
  ...base,
  type: z.literal('status'),
  at: z.iso.datetime(),
  goalId: z.string(),
  phase: z.union([Phase, z.literal('goal')]),
  message: z.string(),
});
/** Debug only: one model response. `tokens` is (input − cached) + output. */
export const ModelEvent = z.strictObject({
  ...base,
  type: z.literal('model'),
  role: Role,
  model: z.string(),
  step: z.number().int().positive(),
  tokens: z.number().int(),
  usage: TokenUsage,
  toolCalls: z.array(z.string()),
});
/** Debug only: one tool call, arguments redacted and cut to 300 characters. */
export const ToolEvent = z.strictObject({
  ...base,
  type: z.literal('tool'),
  role: Role,
  name: z.string(),
  arguments: z.string(),
  ok: z.boolean(),
});
/** Debug only: a chunk of a command's output (the agent's command or a check). */
export const OutputEvent = z.strictObject({ ...base, type: z.literal('output'), origin: z.enum(['agent', 'check']), chunk: z.string() });
/** The last line: the status object of `goalpost status --json`, the exit code and how to resume. */
export const SummaryEvent = StatusJson.extend({
  ...base,
  type: z.literal('summary'),
  exitCode: z.number().int(),
  resumeCommand: z.string().nullable(),
}).strict();

/** Any line of `goalpost run --json`. */
export const JsonEvent = z.discriminatedUnion('type', [MessageEvent, WarningEvent, StateEvent, StatusEventJson, ModelEvent, ToolEvent, OutputEvent, SummaryEvent]);
/** A parsed event line. */
export type JsonEvent = z.infer<typeof JsonEvent>;
