// OpenAIModel (real SDK, real HTTP) against the scripted server speaking each dialect: tool calls
// assembled, errors classified, refused fields retried once, the cap enforced by cutting the stream.
import assert from 'node:assert/strict';
import { OpenAIModel, type OpenAIModelOptions } from '../../../../src/adapters/openaiModel';
import { classifyFailure, contextFacts } from '../../../../src/adapters/openaiErrors';
import { StreamAccumulator, StreamChunk, toolCallInText } from '../../../../src/adapters/openaiStream';
import type { ModelRequest } from '../../../../src/engine/ports';
import { modelError } from '../../../support/modelError';
import { DIALECTS, type Dialect } from '../../../support/scriptedDialects';
import { startScriptedServer, type ScriptedServer, type ScriptStep } from '../../../support/scriptedServer';
import { APIError } from 'openai';

const TOOLS = ['read_file', 'finish_task', 'search_text'];

function request(extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    role: 'actor',
    model: 'scripted-model',
    messages: [
      { role: 'system', content: 'You are the actor.' },
      { role: 'user', content: 'Do the task.' },
    ],
    tools: TOOLS.map((name) => ({ name, description: name, parameters: { type: 'object', properties: {}, additionalProperties: true } })),
    toolChoice: 'auto',
    maxTokens: 2000,
    ...extra,
  };
}

const TWO_CALLS: ScriptStep = {
  toolCalls: [
    { name: 'read_file', arguments: { path: 'src/a.ts', start_line: 1 } },
    { name: 'search_text', arguments: { query: 'needle' } },
  ],
};

describe('OpenAIModel against each dialect', () => {
  let server: ScriptedServer | null = null;

  async function setup(steps: ScriptStep[], dialect: Dialect, opts: Partial<OpenAIModelOptions> = {}): Promise<{ server: ScriptedServer; model: OpenAIModel }> {
    server = await startScriptedServer(steps, { dialect });
    const model = new OpenAIModel({ baseUrl: server.baseUrl, env: {}, baseDelayMs: 1, ...opts });
    return { server, model };
  }

  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const streamDialects: [string, Dialect][] = [
    ['ollama-new (whole calls, object arguments, "stop")', DIALECTS.ollamaNew],
    ['lmstudio (name and id in every delta)', DIALECTS.lmstudio],
    ['llamacpp-old (no index, empty ids, no finish reason)', DIALECTS.llamacppOld],
    ['llamacpp-new (name a character at a time)', DIALECTS.llamacppNew],
    ['vllm-new (reasoning_content)', DIALECTS.vllmNew],
    ['azure (content-filter chunks)', { ...DIALECTS.openai, stream: DIALECTS.azureV1.stream }],
  ];
  for (const [label, dialect] of streamDialects) {
    it(`assembles two tool calls: ${label}`, async () => {
      const { model } = await setup([TWO_CALLS], { ...dialect, window: undefined });
      const r = await model.complete(request({ maxTokens: 1000 }));
      assert.deepEqual(r.toolCalls.map((c) => [c.name, JSON.parse(c.arguments) as unknown]), [
        ['read_file', { path: 'src/a.ts', start_line: 1 }],
        ['search_text', { query: 'needle' }],
      ]);
      assert.equal(new Set(r.toolCalls.map((c) => c.id)).size, 2, 'distinct ids, even when the server sent none');
      assert.ok(r.toolCalls.every((c) => c.id !== ''));
      assert.ok(r.usage.outputTokens > 0);
    });
  }

  it('made-up ids are unique across responses, not call_0 every time', async () => {
    const { model } = await setup([TWO_CALLS, TWO_CALLS], DIALECTS.llamacppOld);
    const a = await model.complete(request());
    const b = await model.complete(request());
    assert.equal(new Set([...a.toolCalls, ...b.toolCalls].map((c) => c.id)).size, 4);
  });

  it('a refused field is dropped once and the endpoint remembers it', async () => {
    const { model, server: s } = await setup([{ content: 'one' }, { content: 'two' }], DIALECTS.vllmOld);
    assert.equal((await model.complete(request())).content, 'one');
    assert.equal((await model.complete(request())).content, 'two');
    assert.deepEqual(s.requests.map((r) => [r.refusedWith ?? 200, r.body.stream_options === undefined ? 'no stream_options' : 'stream_options']), [
      [400, 'stream_options'],
      [200, 'no stream_options'],
      [200, 'no stream_options'],
    ]);
  });

  it('max_completion_tokens refused by an older server is sent again as max_tokens', async () => {
    const strict: Dialect = { ...DIALECTS.vllmOld, refuses: ['max_completion_tokens'] };
    const { model, server: s } = await setup([{ content: 'ok' }], strict, { provider: 'openai' });
    await model.complete(request({ maxTokens: 300 }));
    assert.deepEqual(s.requests.map((r) => [r.body.max_completion_tokens, r.body.max_tokens]), [[300, undefined], [undefined, 300]]);
  });

  it('a vLLM window refusal (prompt + cap) is answered with a smaller cap at once, and remembered', async () => {
    const { model, server: s } = await setup([{ content: 'a' }, { content: 'b' }], { ...DIALECTS.vllmNew, window: { tokens: 4000, countsCap: true, wording: 'vllm-new' } });
    await model.complete(request({ maxTokens: 16_000 }));
    await model.complete(request({ maxTokens: 16_000 }));
    const caps = s.requests.map((r) => [r.refusedWith ?? 200, r.body.max_tokens]);
    assert.equal(caps[0][0], 400);
    assert.ok(caps.slice(1).every(([status, cap]) => status === 200 && typeof cap === 'number' && cap < 4000), JSON.stringify(caps));
    assert.equal(s.requests.length, 3, 'one refusal in all');
  });

  it('cuts the stream off when a server ignores the cap, and counts only what it kept', async () => {
    const ignores: Dialect = { ...DIALECTS.ollamaNew, honours: [] };
    const { model } = await setup([{ content: 'word '.repeat(20_000), chunkChars: 50 }], ignores);
    const r = await model.complete(request({ maxTokens: 500, tools: [] }));
    assert.equal(r.finishReason, 'length');
    assert.ok(r.usage.outputTokens <= 520, `output counted ${r.usage.outputTokens}`);
    assert.ok((r.content ?? '').length <= 500 * 3.5 + 50);
  });

  it('a 2 MB answer in one delta is cut to the cap too', async () => {
    const ignores: Dialect = { ...DIALECTS.openai, honours: [] };
    const { model } = await setup([{ content: 'x'.repeat(2_000_000), chunkChars: 2_000_000 }], ignores);
    const r = await model.complete(request({ maxTokens: 1000, tools: [] }));
    assert.ok((r.content ?? '').length <= 3500, `kept ${(r.content ?? '').length} chars`);
    assert.ok(r.usage.outputTokens <= 1000);
  });

  it('a stream that stalls is given up after the idle timeout and retried', async () => {
    server = await startScriptedServer([{ content: 'never finished', fault: { kind: 'hang', afterChunks: 1 } }, { content: 'second try' }]);
    const retries: string[] = [];
    // 1.5 s: also the time a request has to get its headers, which a starved test process can take 300 ms for.
    const model = new OpenAIModel({ baseUrl: server.baseUrl, env: {}, baseDelayMs: 1, idleTimeoutMs: 1500, onRetry: (i) => retries.push(i.error.message) });
    const started = Date.now();
    const r = await model.complete(request());
    assert.equal(r.content, 'second try');
    assert.ok(Date.now() - started < 10_000, 'given up after the idle timeout, not the whole request timeout');
    assert.match(retries[0] ?? '', /sent nothing for 1.5 s/);
    assert.match(retries[0] ?? '', /goalpost\.requestIdleTimeoutSeconds/);
  });

  it('a server that never answers is given up after the idle timeout, then the goal can pause', async () => {
    server = await startScriptedServer([{ fault: { kind: 'slow', delayMs: 10_000 } }, { fault: { kind: 'slow', delayMs: 10_000 } }]);
    const model = new OpenAIModel({ baseUrl: server.baseUrl, env: {}, baseDelayMs: 1, idleTimeoutMs: 200, maxTries: 2 });
    const e = await modelError(model.complete(request()));
    assert.equal(e.kind, 'network');
    assert.equal(e.attempts, 2);
    assert.match(e.message, /requestIdleTimeoutSeconds/);
  });

  it('tool calls sent as text are told apart from a model that calls no tools', async () => {
    const { model } = await setup([TWO_CALLS, { content: 'I would rather explain in prose.' }], DIALECTS.ollamaOld, { provider: 'ollama' });
    const e = await modelError(model.complete(request()));
    assert.equal(e.kind, 'server-setup');
    assert.match(e.message, /Ollama returned the call as plain text/);
    assert.equal(e.attempts, 1);
    const prose = await model.complete(request());
    assert.equal(prose.toolCalls.length, 0, 'plain prose is a normal answer');
  });

  it('a server that ignores `stream` and answers one JSON completion is understood', async () => {
    const { model } = await setup([{ ...TWO_CALLS, ignoreStream: true }], DIALECTS.ollamaOld);
    const r = await model.complete(request());
    assert.deepEqual(r.toolCalls.map((c) => c.name), ['read_file', 'search_text']);
    assert.equal(r.usageEstimated, false);
  });

  it('an error event inside the stream is the server\'s error, classified by its words (not a connection error)', async () => {
    const { model } = await setup([{ content: 'x'.repeat(200), fault: { kind: 'error-event', error: { message: 'tools param requires --jinja flag', type: 'server_error' } } }], DIALECTS.llamacppNew);
    const e = await modelError(model.complete(request()));
    assert.equal(e.kind, 'server-setup');
    assert.match(e.message, /--jinja/);
  });

  it('a transient error event inside the stream is retried', async () => {
    const { model: m2 } = await setup([{ content: 'x'.repeat(200), fault: { kind: 'error-event', error: { message: 'CUDA out of memory', code: 500 } } }, { content: 'recovered' }], DIALECTS.vllmNew);
    assert.equal((await m2.complete(request())).content, 'recovered', 'a transient error event is retried');
  });

  it('reads an older vLLM top-level error body instead of "status code (no body)"', async () => {
    const { model } = await setup([{ content: 'unused' }], { ...DIALECTS.vllmOld, toolsNeedFlag: { status: 400, message: 'Something specific went wrong' } });
    const e = await modelError(model.complete(request()));
    assert.match(e.message, /Something specific went wrong/);
    assert.doesNotMatch(e.message, /no body/);
    assert.equal(e.kind, 'bad-request');
  });
});

describe('context-length errors in every wording', () => {
  const ctx = { model: 'm', baseUrl: 'http://127.0.0.1:1/v1', aborted: false };
  const cases: [string, number, Record<string, unknown>, { windowTokens?: number; promptTokens?: number }][] = [
    ['openai', 400, { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.", code: 'context_length_exceeded' }, { windowTokens: 128000, promptTokens: 130512 }],
    ['vllm old', 400, { message: "This model's maximum context length is 16384 tokens. However, you requested 17367 tokens (1367 in the messages, 16000 in the completion).", type: 'BadRequestError' }, { windowTokens: 16384, promptTokens: 1367 }],
    ['vllm new', 400, { message: "'max_tokens' or 'max_completion_tokens' is too large: 16000. This model's maximum context length is 16384 tokens and your request has 1367 input tokens (16000 > 16384 - 1367)." }, { windowTokens: 16384, promptTokens: 1367 }],
    ['llama.cpp new', 400, { message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 9000, n_ctx: 8192 }, { windowTokens: 8192, promptTokens: 9000 }],
    ['llama.cpp old', 500, { message: 'the request exceeds the available context size, try increasing the context size or enable context shift' }, {}],
    ['ollama', 400, { message: 'the input length exceeds the context length' }, {}],
    ['lm studio', 400, { message: 'Trying to keep the first 9000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough.' }, { windowTokens: 4096 }],
  ];
  for (const [label, status, body, facts] of cases) {
    it(label, () => {
      const f = classifyFailure(APIError.generate(status, { error: body }, undefined, new Headers()), ctx);
      assert.equal(f.kind, 'context-length');
      assert.equal(f.retryable, false);
      for (const [k, v] of Object.entries(facts)) assert.equal(f.context?.[k as keyof typeof facts], v, k);
    });
  }

  it('finds no numbers where there are none', () => {
    assert.deepEqual(contextFacts('prompt is too long'), {});
  });

  it('permanent 4xx are not retried; a 500 naming a missing flag is not retried and names the fix', () => {
    for (const status of [400, 401, 403, 404, 422]) {
      assert.equal(classifyFailure(APIError.generate(status, { error: { message: 'nope' } }, undefined, new Headers()), ctx).retryable, false, String(status));
    }
    const jinja = classifyFailure(APIError.generate(500, { error: { message: 'tools param requires --jinja flag' } }, undefined, new Headers()), ctx);
    assert.deepEqual([jinja.kind, jinja.retryable], ['server-setup', false]);
    assert.match(jinja.message, /Restart llama-server with --jinja/);
    const plain500 = classifyFailure(APIError.generate(500, { error: { message: 'oops' } }, undefined, new Headers()), ctx);
    assert.equal(plain500.retryable, true);
  });

  it('a 404 that is not about the model points at the base URL, and Ollama is told to pull', () => {
    const path404 = classifyFailure(APIError.generate(404, { error: { message: 'Not Found' } }, undefined, new Headers()), ctx);
    assert.equal(path404.kind, 'bad-request');
    assert.match(path404.message, /goalpost\.baseUrl \/ --base-url/);
    const ollama = classifyFailure(APIError.generate(404, { error: { message: 'model "qwen3" not found, try pulling it first' } }, undefined, new Headers()), { ...ctx, model: 'qwen3', provider: 'ollama' });
    assert.equal(ollama.kind, 'unknown-model');
    assert.match(ollama.message, /ollama pull qwen3/);
  });
});

describe('StreamAccumulator habits', () => {
  const c = (o: unknown): StreamChunk => StreamChunk.parse(o);

  it('treats a zeroed usage object as no usage and estimates', () => {
    const acc = new StreamAccumulator();
    acc.add(c({ choices: [{ index: 0, delta: { content: 'hello world' }, finish_reason: 'stop' }], usage: { prompt_tokens: 0, completion_tokens: 0 } }));
    const r = acc.finish('m', 700).response;
    assert.equal(r.usage.inputTokens, 200);
    assert.ok(r.usage.outputTokens > 0);
  });

  it('takes usage from the finish chunk', () => {
    const acc = new StreamAccumulator();
    acc.add(c({ choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 3 } }));
    assert.deepEqual(acc.finish('m', 1).response.usage, { inputTokens: 12, cachedInputTokens: 0, outputTokens: 3, reasoningTokens: 0 });
  });

  it('accepts [DONE] without a finish reason, and still refuses a stream that just stops', () => {
    const done = new StreamAccumulator(['finish_task']);
    done.add(c({ choices: [{ delta: { tool_calls: [{ id: '', function: { name: 'finish_task', arguments: '{"summary":"x"}' } }] } }] }));
    done.markDone();
    assert.equal(done.finish('m', 1).response.finishReason, 'tool_calls');
    const cut = new StreamAccumulator();
    cut.add(c({ choices: [{ delta: { content: 'half' } }] }));
    assert.throws(() => cut.finish('m', 1));
  });

  it('recognises tool calls written as text in the usual wrappers', () => {
    assert.equal(toolCallInText('<tool_call>\n{"name": "read_file", "arguments": {"path": "a"}}\n</tool_call>', TOOLS), 'read_file');
    assert.equal(toolCallInText('```json\n{"name": "finish_task", "parameters": {"summary": "s"}}\n```', TOOLS), 'finish_task');
    assert.equal(toolCallInText('[TOOL_CALLS][{"name": "search_text", "arguments": {"query": "q"}}]', TOOLS), 'search_text');
    assert.equal(toolCallInText('{"name": "rm_rf", "arguments": {}}', TOOLS), null, 'only tools that were offered');
    assert.equal(toolCallInText('The name field of read_file is path.', TOOLS), null);
  });
});
