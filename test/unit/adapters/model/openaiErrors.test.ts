import assert from 'node:assert/strict';
import { APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { classifyFailure, retryAfterFrom, RETRY_AFTER_CAP_MS, StreamFault } from '../../../../src/adapters/openaiErrors';
import { StreamAccumulator, StreamChunk } from '../../../../src/adapters/openaiStream';

const ctx = { model: 'm', baseUrl: 'http://127.0.0.1:1/v1', aborted: false };

function chunk(choices: ChatCompletionChunk['choices'], usage?: ChatCompletionChunk['usage']): StreamChunk {
  return StreamChunk.parse({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'served', choices, ...(usage ? { usage } : {}) });
}

describe('openai error handling', () => {
  describe('retryAfterFrom', () => {
    it('reads retry-after-ms first, then seconds, then an HTTP date, capped', () => {
      assert.equal(retryAfterFrom(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
      assert.equal(retryAfterFrom(new Headers({ 'retry-after': '3' })), 3000);
      const now = Date.parse('2025-01-01T00:00:00Z');
      assert.equal(retryAfterFrom(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now), 5000);
      assert.equal(retryAfterFrom(new Headers({ 'retry-after': '3600' })), RETRY_AFTER_CAP_MS);
      assert.equal(retryAfterFrom(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now), 0);
      assert.equal(retryAfterFrom(new Headers({ 'retry-after': 'soon' })), null);
      assert.equal(retryAfterFrom(new Headers()), null);
      assert.equal(retryAfterFrom(undefined), null);
    });
  });

  describe('classifyFailure', () => {
    it('lets the caller\'s abort win over any error', () => {
      assert.equal(classifyFailure(new Error('terminated'), { ...ctx, aborted: true }).kind, 'aborted');
      assert.equal(classifyFailure(new APIUserAbortError(), ctx).kind, 'aborted');
    });

    it('treats an error event inside the stream as a retryable server error unless it names quota', () => {
      const inStream = new APIError(undefined, { message: 'overloaded', type: 'server_error' }, undefined, undefined);
      const f = classifyFailure(inStream, ctx);
      assert.equal(f.kind, 'server');
      assert.equal(f.retryable, true);
      const quota = new APIError(undefined, { message: 'no money', code: 'insufficient_quota' }, undefined, undefined);
      assert.equal(classifyFailure(quota, ctx).kind, 'quota');
    });

    it('retries unparsable chunks and stream faults', () => {
      assert.deepEqual([classifyFailure(new SyntaxError('Unexpected end'), ctx).kind, classifyFailure(new SyntaxError('x'), ctx).retryable], ['bad-response', true]);
      assert.equal(classifyFailure(new StreamFault('network', 'cut'), ctx).kind, 'network');
    });
  });

  describe('StreamAccumulator', () => {
    it('refuses a stream that ended without a finish reason', () => {
      const acc = new StreamAccumulator();
      acc.add(chunk([{ index: 0, delta: { content: 'half' }, finish_reason: null }]));
      assert.throws(() => acc.finish('m', 10), (e: unknown) => e instanceof StreamFault && e.kind === 'network');
    });

    it('keys tool calls by index even when deltas interleave', () => {
      const acc = new StreamAccumulator();
      acc.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'second', arguments: '{"y"' } }] }, finish_reason: null }]));
      acc.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'first', arguments: '{"x"' } }] }, finish_reason: null }]));
      acc.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: ':2}' } }] }, finish_reason: null }]));
      acc.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: null }]));
      acc.add(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]));
      acc.add(chunk([], { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 }));
      const r = acc.finish('m', 10).response;
      assert.deepEqual(r.toolCalls, [
        { id: 'a', name: 'first', arguments: '{"x":1}' },
        { id: 'b', name: 'second', arguments: '{"y":2}' },
      ]);
      assert.deepEqual(r.usage, { inputTokens: 10, cachedInputTokens: 0, outputTokens: 4, reasoningTokens: 0 });
      assert.equal(r.model, 'served');
    });
  });
});
