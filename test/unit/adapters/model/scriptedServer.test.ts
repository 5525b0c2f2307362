// The scripted server is the model every other test talks to, so its wire format is tested here with
// plain fetch, independent of the openai SDK.
import assert from 'node:assert/strict';
import { byRole, roleOf, startScriptedServer, toolCall, type ScriptedServer } from '../../../support/scriptedServer';

const tools = (...names: string[]): { type: string; function: { name: string; parameters: object } }[] =>
  names.map((name) => ({ type: 'function', function: { name, parameters: { type: 'object' } } }));

function chat(server: ScriptedServer, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
    body: JSON.stringify({ model: 'm1', messages: [{ role: 'user', content: 'hi' }], ...body }),
    signal,
  });
}

/** The JSON payloads of an SSE body, and whether it ended with [DONE]. */
function sseEvents(text: string): { events: Record<string, unknown>[]; done: boolean } {
  const datas = text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
  const done = datas[datas.length - 1] === '[DONE]';
  return { events: datas.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Record<string, unknown>), done };
}

interface Delta {
  role?: string;
  content?: string;
  tool_calls?: { index: number; id?: string; type?: string; function: { name?: string; arguments?: string } }[];
}
type Choice = { delta: Delta; finish_reason: string | null };
const choices = (e: Record<string, unknown>): Choice[] => e.choices as Choice[];

describe('scripted OpenAI-compatible server', () => {
  let server: ScriptedServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('streams content and tool calls split over many deltas, then usage and [DONE]', async () => {
    server = await startScriptedServer([
      { content: 'Hello there, world', toolCalls: [{ name: 'finish_task', arguments: { summary: 'all done here' } }], chunkChars: 4, usage: { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 40, reasoning_tokens: 5 } },
    ]);
    const res = await chat(server, { stream: true, stream_options: { include_usage: true }, tools: tools('finish_task') });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const { events, done } = sseEvents(await res.text());
    assert.equal(done, true);
    assert.equal(choices(events[0])[0].delta.role, 'assistant');

    const deltas = events.filter((e) => choices(e).length > 0).map((e) => choices(e)[0].delta);
    const contentDeltas = deltas.filter((d) => d.content);
    assert.ok(contentDeltas.length >= 4, 'content is split');
    assert.equal(contentDeltas.map((d) => d.content).join(''), 'Hello there, world');

    const toolDeltas = deltas.flatMap((d) => d.tool_calls ?? []);
    assert.ok(toolDeltas.length > 3, 'arguments are split');
    assert.equal(toolDeltas[0].index, 0);
    assert.equal(toolDeltas[0].type, 'function');
    assert.equal(toolDeltas[0].function.name, 'finish_task');
    assert.ok(toolDeltas[0].id);
    for (const later of toolDeltas.slice(1)) {
      assert.equal(later.id, undefined);
      assert.equal(later.function.name, undefined);
    }
    assert.deepEqual(JSON.parse(toolDeltas.map((d) => d.function.arguments ?? '').join('')), { summary: 'all done here' });

    const finish = events.find((e) => choices(e)[0]?.finish_reason);
    assert.equal(finish && choices(finish)[0].finish_reason, 'tool_calls');
    const last = events[events.length - 1];
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, {
      prompt_tokens: 100,
      completion_tokens: 20,
      total_tokens: 120,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
    assert.equal(server.requests[0].role, 'actor');
    assert.equal(server.requests[0].headers.authorization, 'Bearer test-key');
  });

  it('sends no usage chunk unless include_usage is asked for', async () => {
    server = await startScriptedServer([{ content: 'x' }]);
    const { events } = sseEvents(await (await chat(server, { stream: true })).text());
    assert.equal(events.some((e) => 'usage' in e), false);
  });

  it('answers a non-streaming request with one chat.completion and estimated usage', async () => {
    server = await startScriptedServer([toolCall('submit_plan', { tasks: [] }, { model: 'served-model' })]);
    const res = await chat(server, { tools: tools('list_files', 'submit_plan') });
    const body = (await res.json()) as {
      object: string;
      model: string;
      choices: { message: { content: string | null; tool_calls: { id: string; function: { name: string; arguments: string } }[] }; finish_reason: string }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'served-model');
    assert.equal(body.choices[0].message.content, null);
    assert.equal(body.choices[0].message.tool_calls[0].function.name, 'submit_plan');
    assert.equal(body.choices[0].message.tool_calls[0].function.arguments, '{"tasks":[]}');
    assert.equal(body.choices[0].finish_reason, 'tool_calls');
    assert.ok(body.usage.prompt_tokens > 0 && body.usage.completion_tokens > 0);
    assert.equal(server.requests[0].role, 'planner');
  });

  it('sends string arguments as-is so tests can send invalid JSON', async () => {
    server = await startScriptedServer([{ toolCalls: [{ name: 'finish_task', arguments: '{"summary": oops' }] }]);
    const body = (await (await chat(server, {})).json()) as { choices: { message: { tool_calls: { function: { arguments: string } }[] } }[] };
    assert.equal(body.choices[0].message.tool_calls[0].function.arguments, '{"summary": oops');
  });

  it('injects HTTP status faults with OpenAI-style bodies and Retry-After headers', async () => {
    server = await startScriptedServer([
      { fault: { kind: 'status', status: 429, retryAfter: '2', retryAfterMs: 150 } },
      { fault: { kind: 'status', status: 429, body: { error: { message: 'no credit', type: 'insufficient_quota', code: 'insufficient_quota' } } } },
    ]);
    const first = await chat(server, {});
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '2');
    assert.equal(first.headers.get('retry-after-ms'), '150');
    const err = (await first.json()) as { error: { message: string; type: string } };
    assert.equal(err.error.type, 'rate_limit_exceeded');
    const second = await chat(server, {});
    assert.deepEqual(await second.json(), { error: { message: 'no credit', type: 'insufficient_quota', code: 'insufficient_quota' } });
  });

  it('fails loudly with 500 when a list script is exhausted, and records it', async () => {
    server = await startScriptedServer([{ content: 'only one' }]);
    assert.equal((await chat(server, {})).status, 200);
    const res = await chat(server, {});
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: { message: string } };
    assert.match(body.error.message, /script exhausted at request 2/);
    assert.equal(server.requests.length, 2);
    assert.match(server.requests[1].error ?? '', /script exhausted at request 2/);
  });

  it('serves each role its own queue with byRole', async () => {
    server = await startScriptedServer(
      byRole({
        planner: [{ content: 'plan-1' }],
        actor: [{ content: 'act-1' }, { content: 'act-2' }],
        reviewer: [{ content: 'review-1' }],
        compaction: [{ content: 'summary-1' }],
      }),
    );
    const text = async (t: string[]): Promise<string> => {
      const body = (await (await chat(server as ScriptedServer, t.length ? { tools: tools(...t) } : {})).json()) as { choices: { message: { content: string } }[] };
      return body.choices[0].message.content;
    };
    assert.equal(await text(['read_file', 'finish_task']), 'act-1');
    assert.equal(await text(['submit_plan']), 'plan-1');
    assert.equal(await text([]), 'summary-1');
    assert.equal(await text(['finish_task', 'report_blocker']), 'act-2');
    assert.equal(await text(['submit_review']), 'review-1');
    const res = await chat(server, { tools: tools('submit_plan') });
    assert.equal(res.status, 500);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /no planner step left/);
    assert.deepEqual(server.requests.map((r) => r.role), ['actor', 'planner', 'compaction', 'actor', 'reviewer', 'planner']);
  });

  it('infers roles from the tools offered', () => {
    assert.equal(roleOf({ tools: tools('list_files', 'submit_plan') }), 'planner');
    assert.equal(roleOf({ tools: tools('finish_task') }), 'actor');
    assert.equal(roleOf({ tools: tools('submit_review') }), 'reviewer');
    assert.equal(roleOf({ tools: [] }), 'compaction');
    assert.equal(roleOf({}), 'compaction');
    assert.equal(roleOf({ tools: tools('list_files') }), 'unknown');
  });

  it('passes the recorded request and its index to a function script', async () => {
    const seen: string[] = [];
    server = await startScriptedServer((req, index) => {
      seen.push(`${index}:${req.body.model}`);
      return { content: `answer ${index}` };
    });
    await chat(server, { model: 'a' });
    await chat(server, { model: 'b' });
    assert.deepEqual(seen, ['0:a', '1:b']);
  });

  it('drops the connection mid-stream after some real chunks', async () => {
    server = await startScriptedServer([{ content: 'a fairly long answer that is streamed', fault: { kind: 'drop-mid-stream' } }]);
    const res = await chat(server, { stream: true });
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
  });

  it('sends a data line that is not JSON for a malformed-chunk fault', async () => {
    server = await startScriptedServer([{ content: 'some text to stream here', fault: { kind: 'malformed-chunk' } }]);
    const text = await (await chat(server, { stream: true })).text();
    const datas = text.split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => b.slice(6));
    assert.ok(datas.length >= 2);
    assert.doesNotThrow(() => JSON.parse(datas[0]));
    assert.throws(() => JSON.parse(datas[datas.length - 1]));
    assert.equal(text.includes('[DONE]'), false);
  });

  it('waits before a slow answer', async () => {
    server = await startScriptedServer([{ content: 'late', fault: { kind: 'slow', delayMs: 250 } }]);
    const started = Date.now();
    const res = await chat(server, {});
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 240);
  });

  it('hangs until the client gives up, and still closes promptly', async () => {
    server = await startScriptedServer([{ content: 'never', fault: { kind: 'hang' } }, { content: 'never either', fault: { kind: 'hang', afterChunks: 2 } }]);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    await assert.rejects(chat(server, {}, ac.signal), { name: 'AbortError' });
    clearTimeout(timer);
    assert.ok(Date.now() - started < 2000);
    // A second request left hanging mid-stream must not keep close() waiting.
    const res = await chat(server, { stream: true });
    const reader = res.body?.getReader();
    const first = await reader?.read();
    assert.ok(first && !first.done);
    const closing = Date.now();
    await server.close();
    assert.ok(Date.now() - closing < 2000);
    server = null;
  });

  it('lists models and rejects bodies that are not chat requests', async () => {
    server = await startScriptedServer([]);
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { object: string; data: { id: string }[] };
    assert.equal(models.object, 'list');
    assert.ok(models.data.length >= 1);
    const bad = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: 'not json' });
    assert.equal(bad.status, 400);
    assert.equal(server.requests.length, 0);
    assert.ok(server.baseUrl.startsWith('http://127.0.0.1:') && server.baseUrl.endsWith('/v1'));
  });
});
