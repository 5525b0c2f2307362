import assert from 'node:assert/strict';
import * as z from 'zod';
import { defineTool, dispatchToolCall, formatIssuePath, toToolSpec, type ToolDefinition } from '../../../../src/engine/tools/defineTool';
import { WorkspaceError, type ToolCall } from '../../../../src/engine/ports';
import { submitPlanTool, submitReviewTool } from '../../../../src/engine/tools/submitTools';

interface Caps {
  calls: string[];
}

const TaskArg = z.object({ title: z.string(), details: z.string() });

const planTool = defineTool({
  name: 'plan',
  description: 'Takes tasks.',
  schema: z.object({
    tasks: z.array(TaskArg).min(1),
    count: z.number().int().optional().describe('How many.'),
  }),
  async run(args, caps: Caps) {
    caps.calls.push(`plan:${args.tasks.length}`);
    return { content: `got ${args.tasks.map((t) => t.title).join(',')}`, data: { n: args.tasks.length } };
  },
});

const pingTool = defineTool({
  name: 'ping',
  description: 'No arguments.',
  schema: z.object({ note: z.string().optional() }),
  async run(args, caps: Caps, signal?: AbortSignal) {
    caps.calls.push(`ping:${args.note ?? ''}:${signal ? 'signal' : 'nosignal'}`);
    return { content: 'pong' };
  },
});

const refuseTool = defineTool({
  name: 'refuse',
  description: 'Always refuses.',
  schema: z.object({}),
  async run(): Promise<never> {
    throw new WorkspaceError('../etc/passwd is outside the workspace.');
  },
});

const crashTool = defineTool({
  name: 'crash',
  description: 'Always crashes.',
  schema: z.object({}),
  async run(): Promise<never> {
    throw new TypeError('boom');
  },
});

const throwStringTool = defineTool({
  name: 'throw_string',
  description: 'Throws a non-Error.',
  schema: z.object({}),
  run(): Promise<never> {
    // A synchronous throw of a non-Error value: the worst case a handler can produce.
    throw 'plain string';
  },
});

const defs: ToolDefinition<Caps>[] = [planTool, pingTool, refuseTool, crashTool, throwStringTool];

function call(name: string, args: string): ToolCall {
  return { id: 'c1', name, arguments: args };
}

describe('defineTool', () => {
  describe('toToolSpec', () => {
    it('turns the zod schema into a closed JSON Schema without $schema', () => {
      const spec = toToolSpec(planTool);
      assert.equal(spec.name, 'plan');
      assert.equal(spec.description, 'Takes tasks.');
      assert.equal('$schema' in spec.parameters, false);
      assert.equal(spec.parameters.type, 'object');
      assert.equal(spec.parameters.additionalProperties, false);
      assert.deepEqual(spec.parameters.required, ['tasks']);
      const props = spec.parameters.properties as Record<string, Record<string, unknown>>;
      const items = props.tasks.items as Record<string, unknown>;
      assert.equal(items.additionalProperties, false, 'nested objects are closed too');
      assert.deepEqual(items.required, ['title', 'details']);
      assert.equal(props.count.type, 'integer');
      assert.equal(props.count.description, 'How many.');
      assert.equal('minimum' in props.count, false, 'the ±2^53 noise of .int() is dropped');
    });

    it('describes the real submit tools with their documented argument names', () => {
      const plan = toToolSpec(submitPlanTool);
      assert.deepEqual(Object.keys(plan.parameters.properties as object).sort(), ['tasks', 'validation_commands']);
      const review = toToolSpec(submitReviewTool);
      const props = review.parameters.properties as Record<string, Record<string, unknown>>;
      assert.deepEqual(props.verdict.enum, ['approve', 'request_changes']);
      assert.doesNotThrow(() => JSON.stringify(review));
    });
  });

  describe('formatIssuePath', () => {
    it('renders paths like code', () => {
      assert.equal(formatIssuePath(['tasks', 0, 'title']), 'tasks[0].title');
      assert.equal(formatIssuePath([]), '(arguments)');
      assert.equal(formatIssuePath([2]), '[2]');
    });
  });

  describe('dispatchToolCall', () => {
    it('runs a valid call and returns the outcome, data and parsed args', async () => {
      const caps: Caps = { calls: [] };
      const r = await dispatchToolCall(defs, call('plan', JSON.stringify({ tasks: [{ title: 'a', details: 'd' }] })), caps);
      assert.equal(r.ok, true);
      assert.equal(r.name, 'plan');
      assert.equal(r.content, 'got a');
      assert.deepEqual(r.outcome?.data, { n: 1 });
      assert.deepEqual(r.args, { tasks: [{ title: 'a', details: 'd' }] });
      assert.deepEqual(caps.calls, ['plan:1']);
    });

    it('reports invalid JSON with the parse error and does not run the handler', async () => {
      const caps: Caps = { calls: [] };
      const r = await dispatchToolCall(defs, call('plan', '{"tasks": [oops'), caps);
      assert.equal(r.ok, false);
      assert.equal(r.args, null);
      assert.match(r.content, /arguments of plan were not valid JSON/);
      let parseMessage = '';
      try {
        JSON.parse('{"tasks": [oops');
      } catch (e) {
        parseMessage = (e as Error).message;
      }
      assert.ok(r.content.includes(parseMessage), `content shows the parse error: ${r.content}`);
      assert.deepEqual(caps.calls, []);
    });

    it('lists the available tools for an unknown tool', async () => {
      const r = await dispatchToolCall(defs, call('fly', '{}'), { calls: [] });
      assert.equal(r.ok, false);
      assert.equal(r.name, 'fly');
      assert.match(r.content, /Unknown tool "fly"/);
      assert.match(r.content, /plan, ping, refuse, crash, throw_string/);
    });

    it('lists each schema issue with its path', async () => {
      const caps: Caps = { calls: [] };
      const r = await dispatchToolCall(defs, call('plan', JSON.stringify({ tasks: [{ title: 5 }], count: 'x' })), caps);
      assert.equal(r.ok, false);
      assert.equal(r.args, null);
      assert.match(r.content, /tasks\[0\]\.title: .*expected string/);
      assert.match(r.content, /tasks\[0\]\.details: .*expected string/);
      assert.match(r.content, /count: .*expected number/);
      assert.deepEqual(caps.calls, []);
    });

    it('reports a non-object argument at the root', async () => {
      const r = await dispatchToolCall(defs, call('plan', '[1,2]'), { calls: [] });
      assert.equal(r.ok, false);
      assert.match(r.content, /\(arguments\): .*expected object/);
    });

    it('accepts "" as {} for a tool without required fields, and passes the signal', async () => {
      const caps: Caps = { calls: [] };
      const r = await dispatchToolCall(defs, call('ping', '  '), caps, new AbortController().signal);
      assert.equal(r.ok, true);
      assert.equal(r.content, 'pong');
      assert.deepEqual(caps.calls, ['ping::signal']);
    });

    it('treats "" as {} for a tool with required fields and names what is missing', async () => {
      const r = await dispatchToolCall(defs, call('plan', ''), { calls: [] });
      assert.equal(r.ok, false);
      assert.doesNotMatch(r.content, /not valid JSON/);
      assert.match(r.content, /tasks: /);
    });

    it('returns a WorkspaceError message as is', async () => {
      const r = await dispatchToolCall(defs, call('refuse', '{}'), { calls: [] });
      assert.equal(r.ok, false);
      assert.equal(r.content, '../etc/passwd is outside the workspace.');
      assert.deepEqual(r.args, {});
    });

    it('wraps any other failure as "Tool X failed: message"', async () => {
      const r = await dispatchToolCall(defs, call('crash', '{}'), { calls: [] });
      assert.equal(r.ok, false);
      assert.equal(r.content, 'Tool crash failed: boom');
    });

    it('never throws, even for a synchronous throw of a non-Error', async () => {
      const r = await dispatchToolCall(defs, call('throw_string', '{}'), { calls: [] });
      assert.equal(r.ok, false);
      assert.equal(r.content, 'Tool throw_string failed: plain string');
    });
  });
});
