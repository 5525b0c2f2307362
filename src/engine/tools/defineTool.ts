// The tool framework: a tool is a zod schema plus a handler. The schema is both the JSON Schema the
// model is offered and the validator of what it sends back, so the two can never drift apart.
// dispatchToolCall never throws: every failure becomes text the model reads and can fix.
import * as z from 'zod';
import { WorkspaceError, type ToolCall, type ToolSpec } from '../ports';

/** What a tool hands back: the text the model reads, and an optional payload for the engine. */
export interface ToolOutcome {
  content: string;
  /** Structured result for the loop (a submission, a command record…); never shown to the model. */
  data?: unknown;
}

/** A tool as the loop holds it; `run` receives arguments already validated by `schema`. */
export interface ToolDefinition<Caps> {
  name: string;
  description: string;
  schema: z.ZodType;
  run(args: unknown, caps: Caps, signal?: AbortSignal): Promise<ToolOutcome>;
}

/** The typed form a tool is written in; `args` is inferred from the schema. */
export interface ToolDefinitionInput<S extends z.ZodType, Caps> {
  name: string;
  description: string;
  schema: S;
  run(args: z.infer<S>, caps: Caps, signal?: AbortSignal): Promise<ToolOutcome>;
}

/** The result of one tool call, successful or not; `content` is what the model reads. */
export interface ToolDispatchResult {
  name: string;
  ok: boolean;
  content: string;
  /** The validated arguments, or null when they could not be parsed or validated. */
  args: unknown | null;
  outcome?: ToolOutcome;
}

/** Declares a tool; the handler is typed by its schema and only ever sees valid arguments. */
export function defineTool<S extends z.ZodType, Caps>(def: ToolDefinitionInput<S, Caps>): ToolDefinition<Caps> {
  return {
    name: def.name,
    description: def.description,
    schema: def.schema,
    // Safe: dispatchToolCall only calls run with the output of def.schema.safeParse.
    run: (args, caps, signal) => def.run(args as z.infer<S>, caps, signal),
  };
}

const SAFE_INT_BOUND = Number.MAX_SAFE_INTEGER;

/**
 * Removes noise zod adds for `.int()` (±2^53 bounds) and closes every object, because strict-mode
 * tool calling and several local servers want `additionalProperties: false` everywhere.
 */
function tidySchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidySchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'minimum' && value === -SAFE_INT_BOUND) continue;
    if (key === 'maximum' && value === SAFE_INT_BOUND) continue;
    out[key] = tidySchema(value);
  }
  if (out.type === 'object' && typeof out.properties === 'object' && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** The tool as offered to the model: name, description and the JSON Schema of its arguments. */
export function toToolSpec<Caps>(def: ToolDefinition<Caps>): ToolSpec {
  // 'input' describes what the model must send (defaults optional), which is what it needs to know.
  const schema = z.toJSONSchema(def.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema: _drop, ...rest } = schema;
  return { name: def.name, description: def.description, parameters: tidySchema(rest) as Record<string, unknown> };
}

/** Renders a zod path the way a programmer reads it: tasks[0].title. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(arguments)' : out;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function failure(name: string, content: string, args: unknown | null = null): ToolDispatchResult {
  return { name, ok: false, content, args };
}

/** Runs one model tool call against `defs`. Never throws: every failure is a message for the model. */
export async function dispatchToolCall<Caps>(
  defs: readonly ToolDefinition<Caps>[],
  call: ToolCall,
  caps: Caps,
  signal?: AbortSignal,
): Promise<ToolDispatchResult> {
  const def = defs.find((d) => d.name === call.name);
  if (!def) {
    const names = defs.map((d) => d.name).join(', ');
    return failure(call.name, `Unknown tool "${call.name}". Available tools: ${names}.`);
  }

  let raw: unknown;
  // Some servers send "" for a call without arguments; that means "no arguments", not bad JSON.
  const text = call.arguments.trim() === '' ? '{}' : call.arguments;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return failure(
      def.name,
      `The arguments of ${def.name} were not valid JSON (${errorMessage(e)}). Send one JSON object matching the tool's parameters.`,
    );
  }

  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `- ${formatIssuePath(i.path)}: ${i.message}`);
    return failure(def.name, `Invalid arguments for ${def.name}:\n${issues.join('\n')}\nFix these and call ${def.name} again.`);
  }

  try {
    const outcome = await def.run(parsed.data, caps, signal);
    return { name: def.name, ok: true, content: outcome.content, args: parsed.data, outcome };
  } catch (e) {
    if (e instanceof WorkspaceError) return failure(def.name, e.message, parsed.data);
    return failure(def.name, `Tool ${def.name} failed: ${errorMessage(e)}`, parsed.data);
  }
}
