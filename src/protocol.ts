// Host ↔ webview messages: one zod discriminated union per direction, imported by both sides. The host
// validates everything the webview sends; the webview drops state pushes older than what it shows.
import { z } from 'zod';

/** A task as the panel shows it. */
export const TaskView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['todo', 'in-progress', 'done', 'blocked']),
  attempts: z.number().int(),
  blockedReason: z.string().nullable(),
  commit: z.string().nullable(),
});
export type TaskView = z.infer<typeof TaskView>;

/** One folder's goal, flattened for rendering. */
export const GoalView = z.object({
  folder: z.string(),
  id: z.string(),
  objective: z.string(),
  status: z.enum(['pursuing', 'paused', 'achieved', 'unmet', 'budget-limited', 'cleared']),
  /** True when the goal says pursuing but no loop runs (VS Code was closed mid-goal). */
  interrupted: z.boolean(),
  reason: z.string().nullable(),
  phase: z.string().nullable(),
  iteration: z.number().int(),
  createdAt: z.string(),
  tokens: z.number(),
  budget: z.number().nullable(),
  costUsd: z.number(),
  requests: z.number().int(),
  forecastTokens: z.number().nullable(),
  tasks: z.array(TaskView),
  commits: z.number().int(),
  reviews: z.number().int(),
});
export type GoalView = z.infer<typeof GoalView>;

/** Host → webview. */
export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), version: z.number().int(), goals: z.array(GoalView), trusted: z.boolean() }),
  z.object({ type: z.literal('log'), version: z.number().int(), lines: z.array(z.string()) }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Commands the panel's buttons run (each maps to a `goalpost.*` command). */
export const PanelCommand = z.enum(['setGoal', 'pause', 'resume', 'clear', 'editGoal', 'raiseBudget', 'openBacklog', 'openLog', 'reviewCommits', 'setApiKey', 'replan']);
export type PanelCommand = z.infer<typeof PanelCommand>;

/** Webview → host. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('command'), command: PanelCommand, folder: z.string().optional() }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;
