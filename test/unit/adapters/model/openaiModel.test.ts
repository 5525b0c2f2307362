// OpenAIModel with the real openai SDK against the real scripted HTTP server.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIModel, type OpenAIModelOptions, type RetryInfo } from '../../../../src/adapters/openaiModel';
import type { ModelRequest } from '../../../../src/engine/ports';
import { modelError } from '../../../support/modelError';
import { startScriptedServer, toolCall, type Script, type ScriptedServer, type ScriptStep } from '../../../support/scriptedServer';

const KEY = 'sk-test-SECRET0123456789abcdef';

function request(extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    role: 'actor',
    model: 'gpt-test',
    messages: [
      { role: 'system', content: 'You are the actor.' },
      { role: 'user', content: 'Do the task.' },
    ],
    tools: [
      { name: 'read_file', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false } },
      { name: 'finish_task', description: 'Finish.', parameters: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false } },
    ],
    toolChoice: 'auto',
    ...extra,
  };
}

const status = (code: number, more: Partial<Extract<ScriptStep['fault'], { kind: 'status' }>> = {}): ScriptStep => ({
  fault: { kind: 'status', status: code, ...more },
});

describe('OpenAIModel', () => {
  let server: ScriptedServer | null = null;
  const retries: RetryInfo[] = [];

  async function setup(script: Script, opts: Partial<OpenAIModelOptions> = {}): Promise<{ server: ScriptedServer; model: OpenAIModel }> {
    server = await startScriptedServer(script);
    retries.length = 0;
    const model = new OpenAIModel({ baseUrl: server.baseUrl, apiKey: KEY, env: {}, baseDelayMs: 1, onRetry: (i) => retries.push(i), ...opts });
    return { server, model };
  }

  afterEach(async () => {
    await server?.close();
    server = null;
  });

  describe('streaming', () => {
    it('reassembles tool calls split over many deltas', async () => {
      const longPath = 'src/some/deeply/nested/folder/with/a/long/name/file.ts';
      const { model } = await setup([
        { toolCalls: [{ name: 'read_file', arguments: { path: longPath }, id: 'call_a' }, { name: 'finish_task', arguments: { summary: 'done: ' + 'x'.repeat(80) } }], chunkChars: 3 },
      ]);
      const r = await model.complete(request());
      assert.equal(r.toolCalls.length, 2);
      assert.equal(r.toolCalls[0].id, 'call_a');
      assert.equal(r.toolCalls[0].name, 'read_file');
      assert.deepEqual(JSON.parse(r.toolCalls[0].arguments), { path: longPath });
      assert.equal(r.toolCalls[1].name, 'finish_task');
      assert.deepEqual(JSON.parse(r.toolCalls[1].arguments), { summary: 'done: ' + 'x'.repeat(80) });
      assert.ok(r.toolCalls[1].id.length > 0);
      assert.equal(r.finishReason, 'tool_calls');
      assert.equal(r.content, null);
    });

    it('reassembles streamed content and reports the served model', async () => {
      const text = 'The quick brown fox jumps over the lazy dog. '.repeat(5);
      const { model } = await setup([{ content: text, chunkChars: 5, model: 'gpt-test-2025' }]);
      const r = await model.complete(request());
      assert.equal(r.content, text);
      assert.deepEqual(r.toolCalls, []);
      assert.equal(r.finishReason, 'stop');
      assert.equal(r.model, 'gpt-test-2025');
    });

    it('reads usage including cached and reasoning tokens', async () => {
      const { model } = await setup([{ content: 'ok', usage: { prompt_tokens: 1200, completion_tokens: 300, cached_tokens: 1000, reasoning_tokens: 120 } }]);
      const r = await model.complete(request());
      assert.deepEqual(r.usage, { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300, reasoningTokens: 120 });
    });

    it('estimates usage when the server sends none', async () => {
      const { model } = await setup([{ content: 'a'.repeat(350), usage: null }]);
      const r = await model.complete(request());
      assert.equal(r.usage.outputTokens, 100);
      assert.ok(r.usage.inputTokens > 50, `input estimated from the request size: ${r.usage.inputTokens}`);
      assert.equal(r.usage.cachedInputTokens, 0);
    });

    it('sends a streaming request with include_usage, the tools, the mapped messages and the key', async () => {
      const { model, server: s } = await setup([{ content: 'ok' }], { provider: 'openai' });
      await model.complete(
        request({
          maxTokens: 256,
          toolChoice: 'required',
          messages: [
            { role: 'system', content: 'sys' },
            { role: 'user', content: 'go' },
            { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }] },
            { role: 'tool', toolCallId: 'call_1', content: 'file text' },
            { role: 'assistant', content: 'thinking', toolCalls: [] },
          ],
        }),
      );
      const { body, headers } = s.requests[0];
      assert.equal(body.model, 'gpt-test');
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.equal(body.max_completion_tokens, 256);
      assert.equal(body.max_tokens, undefined);
      assert.equal(body.tool_choice, 'required');
      assert.deepEqual(body.tools?.map((t) => [t.type, t.function.name]), [['function', 'read_file'], ['function', 'finish_task']]);
      assert.deepEqual(body.tools?.[0].function.parameters, request().tools[0].parameters);
      assert.deepEqual(body.messages[2].tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }]);
      assert.equal(body.messages[3].role, 'tool');
      assert.equal(body.messages[3].tool_call_id, 'call_1');
      assert.equal(body.messages[4].content, 'thinking');
      assert.equal(body.messages[4].tool_calls, undefined);
      assert.equal(headers.authorization, `Bearer ${KEY}`);
    });

    it('omits tools, tool_choice and max tokens when there are none', async () => {
      const { model, server: s } = await setup([{ content: 'summary' }]);
      await model.complete(request({ role: 'compaction', tools: [], toolChoice: undefined }));
      const { body } = s.requests[0];
      assert.equal(body.tools, undefined);
      assert.equal(body.tool_choice, undefined);
      assert.equal(body.max_completion_tokens, undefined);
      assert.equal(s.requests[0].role, 'compaction');
    });
  });

  describe('retries', () => {
    it('honours Retry-After in seconds on 429, then succeeds', async () => {
      const { model, server: s } = await setup([status(429, { retryAfter: '1' }), { content: 'ok' }]);
      const started = Date.now();
      const r = await model.complete(request());
      const waited = Date.now() - started;
      assert.equal(r.content, 'ok');
      assert.equal(s.requests.length, 2);
      assert.ok(waited >= 950, `waited ${waited} ms`);
      assert.equal(retries[0].delayMs, 1000);
      assert.equal(retries[0].error.kind, 'rate-limit');
    });

    it('honours retry-after-ms over Retry-After', async () => {
      const { model } = await setup([status(429, { retryAfter: '30', retryAfterMs: 200 }), { content: 'ok' }]);
      const started = Date.now();
      await model.complete(request());
      const waited = Date.now() - started;
      assert.ok(waited >= 190 && waited < 5000, `waited ${waited} ms`);
      assert.equal(retries[0].delayMs, 200);
    });

    it('retries 500 twice, then succeeds', async () => {
      const { model, server: s } = await setup([status(500), status(503), toolCall('finish_task', { summary: 's' })]);
      const r = await model.complete(request());
      assert.equal(r.toolCalls[0].name, 'finish_task');
      assert.equal(s.requests.length, 3);
      assert.deepEqual(retries.map((i) => [i.attempt, i.error.kind]), [[1, 'server'], [2, 'server']]);
    });

    it('tells the live view of each retry (wait, next try of 5) and streams the answer\'s text delta by delta', async () => {
      const { model } = await setup([status(503), { content: 'All tests pass now.' }]);
      const live: string[] = [];
      const text: string[] = [];
      const r = await model.complete(request(), undefined, {
        onRetry: (i) => live.push(`${i.attempt}/${i.maxAttempts} ${i.delayMs >= 0 ? 'wait' : ''} ${/503|server/i.test(i.message) ? 'server' : i.message}`),
        onText: (d) => text.push(d),
      });
      assert.equal(r.content, 'All tests pass now.');
      assert.deepEqual(live, ['2/5 wait server']);
      assert.equal(text.join(''), 'All tests pass now.');
    });

    it('gives up after 5 tries of 500 with a server error', async () => {
      const { model, server: s } = await setup([status(500), status(500), status(500), status(500), status(500), { content: 'too late' }]);
      const e = await modelError(model.complete(request()));
      assert.equal(e.kind, 'server');
      assert.equal(e.attempts, 5);
      assert.equal(e.status, 500);
      assert.match(e.message, /5 tries/);
      assert.equal(s.requests.length, 5);
    });

    it('waits with exponential backoff between tries when the server names no delay', async () => {
      const sleeps: number[] = [];
      const { model } = await setup([status(502), status(502), status(502), { content: 'ok' }], {
        baseDelayMs: 100,
        maxDelayMs: 250,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
      await model.complete(request());
      assert.equal(sleeps.length, 3);
      // Full jitter: each wait is random but below its ceiling (100, 200, then capped at 250).
      assert.ok(sleeps[0] <= 100 && sleeps[1] <= 200 && sleeps[2] <= 250, sleeps.join(','));
    });

    it('retries 408 and 409', async () => {
      const { model, server: s } = await setup([status(408), status(409), { content: 'ok' }]);
      assert.equal((await model.complete(request())).content, 'ok');
      assert.equal(s.requests.length, 3);
    });

    it('retries a connection dropped mid-stream', async () => {
      const { model, server: s } = await setup([{ content: 'partial answer that will be cut', fault: { kind: 'drop-mid-stream' } }, { content: 'whole answer' }]);
      const r = await model.complete(request());
      assert.equal(r.content, 'whole answer');
      assert.equal(s.requests.length, 2);
      assert.equal(retries[0].error.kind, 'network');
    });

    it('retries a malformed chunk', async () => {
      const { model, server: s } = await setup([{ content: 'some streamed text', fault: { kind: 'malformed-chunk' } }, { content: 'clean' }]);
      const r = await model.complete(request());
      assert.equal(r.content, 'clean');
      assert.equal(s.requests.length, 2);
      assert.equal(retries[0].error.kind, 'bad-response');
    });

    it('reports a refused connection as a network error after the last try', async () => {
      const probe = http.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
      const { port } = probe.address() as AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const model = new OpenAIModel({ baseUrl: `http://127.0.0.1:${port}/v1`, env: {}, baseDelayMs: 1, maxTries: 3 });
      const e = await modelError(model.complete(request()));
      assert.equal(e.kind, 'network');
      assert.equal(e.attempts, 3);
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    });
  });

  describe('errors that are not retried', () => {
    it('classifies insufficient quota', async () => {
      const { model, server: s } = await setup([
        status(429, { body: { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' } } }),
        { content: 'never' },
      ]);
      const e = await modelError(model.complete(request()));
      assert.equal(e.kind, 'quota');
      assert.match(e.message, /out of credit/);
      assert.equal(s.requests.length, 1);
    });

    it('classifies 401 and 403 as auth', async () => {
      const { model, server: s } = await setup([status(401), status(403), { content: 'never' }]);
      const e1 = await modelError(model.complete(request()));
      assert.equal(e1.kind, 'auth');
      assert.equal(e1.status, 401);
      assert.match(e1.message, /Set API Key/);
      assert.equal(s.requests.length, 1);
      const e2 = await modelError(model.complete(request()));
      assert.equal(e2.kind, 'auth');
      assert.equal(s.requests.length, 2);
    });

    it('classifies an unknown model and names it', async () => {
      const { model, server: s } = await setup([
        status(404, { body: { error: { message: 'The model `gpt-nope` does not exist', type: 'invalid_request_error', code: 'model_not_found' } } }),
      ]);
      const e = await modelError(model.complete(request({ model: 'gpt-nope' })));
      assert.equal(e.kind, 'unknown-model');
      assert.match(e.message, /"gpt-nope"/);
      assert.equal(s.requests.length, 1);
    });

    it('classifies context length by code and by message', async () => {
      const { model, server: s } = await setup([
        status(400, { body: { error: { message: 'Too long.', type: 'invalid_request_error', code: 'context_length_exceeded' } } }),
        status(400, { body: { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', code: null } } }),
      ]);
      assert.equal((await modelError(model.complete(request()))).kind, 'context-length');
      assert.equal((await modelError(model.complete(request()))).kind, 'context-length');
      assert.equal(s.requests.length, 2);
    });

    it('classifies other 4xx as bad-request with the server message', async () => {
      const { model, server: s } = await setup([status(422, { body: { error: { message: 'tools[0] is invalid', type: 'invalid_request_error', code: null } } })]);
      const e = await modelError(model.complete(request()));
      assert.equal(e.kind, 'bad-request');
      assert.match(e.message, /tools\[0\] is invalid/);
      assert.equal(s.requests.length, 1);
    });
  });

  describe('abort', () => {
    // The bounds tell an abort from a wait (a hang, a 5 s answer, a 30 s backoff) without timing the abort itself.
    // Each abort waits for the moment it is meant for (the server has the request, the backoff began), not for a
    // fixed time: in a starved test process a 100 ms timer can fire before the server has recorded anything.
    function abortWhen(ready: () => boolean, ac: AbortController): void {
      const deadline = Date.now() + 10_000;
      const poll = (): void => {
        if (ready() || Date.now() > deadline) ac.abort();
        else setTimeout(poll, 10);
      };
      poll();
    }

    it('aborts a request hanging mid-stream at once', async () => {
      const { model, server: s } = await setup([{ content: 'a long streamed answer', fault: { kind: 'hang', afterChunks: 2 } }, { content: 'never' }]);
      const ac = new AbortController();
      // The server sends its two chunks as soon as it has the request, then hangs: abort a moment after that.
      let recordedAt: number | undefined;
      abortWhen(() => {
        if (s.requests.length === 1) recordedAt ??= Date.now();
        return recordedAt !== undefined && Date.now() - recordedAt >= 100;
      }, ac);
      const started = Date.now();
      const e = await modelError(model.complete(request(), ac.signal));
      assert.equal(e.kind, 'aborted');
      assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
      assert.equal(s.requests.length, 1);
    });

    it('aborts a slow request before its answer', async () => {
      const { model, server: s } = await setup([{ content: 'late', fault: { kind: 'slow', delayMs: 5000 } }]);
      const ac = new AbortController();
      abortWhen(() => s.requests.length === 1, ac);
      const started = Date.now();
      const e = await modelError(model.complete(request(), ac.signal));
      assert.equal(e.kind, 'aborted');
      assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
      assert.equal(s.requests.length, 1);
    });

    it('aborts during a backoff sleep without another try', async () => {
      const { model, server: s } = await setup([status(429, { retryAfter: '30' }), { content: 'never' }]);
      const ac = new AbortController();
      // A retry is reported before its wait: the abort lands in the 30 s backoff.
      abortWhen(() => retries.length === 1, ac);
      const started = Date.now();
      const e = await modelError(model.complete(request(), ac.signal));
      assert.equal(e.kind, 'aborted');
      assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
      assert.equal(s.requests.length, 1);
    });

    it('sends nothing when the signal has already fired', async () => {
      const { model, server: s } = await setup([{ content: 'never' }]);
      const ac = new AbortController();
      ac.abort();
      assert.equal((await modelError(model.complete(request(), ac.signal))).kind, 'aborted');
      assert.equal(s.requests.length, 0);
    });
  });

  describe('endpoint and key', () => {
    it('talks to a localhost server without a key', async () => {
      const s = await startScriptedServer([{ content: 'local ok' }]);
      server = s;
      const model = new OpenAIModel({ baseUrl: s.baseUrl, env: {} });
      assert.equal((await model.complete(request())).content, 'local ok');
      assert.equal(s.requests[0].headers.authorization, 'Bearer no-key');
    });

    it('takes base URL and key from the environment like the SDK', async () => {
      const s = await startScriptedServer([{ content: 'env ok' }]);
      server = s;
      const model = new OpenAIModel({ env: { OPENAI_BASE_URL: s.baseUrl, OPENAI_API_KEY: 'sk-from-env-123456' } });
      assert.equal((await model.complete(request())).content, 'env ok');
      assert.equal(s.requests[0].headers.authorization, 'Bearer sk-from-env-123456');
    });

    it('refuses a remote URL without a key with an auth error and no request', async () => {
      const model = new OpenAIModel({ baseUrl: 'https://api.example.invalid/v1', env: {} });
      const e = await modelError(model.complete(request()));
      assert.equal(e.kind, 'auth');
      assert.equal(e.message, 'No API key: set one with "Goalpost: Set API Key" or OPENAI_API_KEY.');
    });

    it('never puts the key into error messages, even when the server echoes it', async () => {
      const echo = { error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } };
      const { model } = await setup([status(401, { body: echo }), status(500, { body: echo }), status(500, { body: echo })], { maxTries: 2 });
      const e1 = await modelError(model.complete(request()));
      const e2 = await modelError(model.complete(request()));
      for (const e of [e1, e2, ...retries.map((r) => r.error)]) {
        assert.equal(e.message.includes(KEY), false, e.message);
        assert.equal(e.message.includes('SECRET0123'), false, e.message);
        assert.equal(String(e.stack).includes(KEY), false);
      }
      assert.equal(e1.kind, 'auth');
      assert.equal(e2.kind, 'server');
      assert.match(e1.message, /\[REDACTED\]/);
    });
  });
});
