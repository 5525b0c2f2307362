import { strict as assert } from 'node:assert';
import { DEFAULT_PRICES, costOf, priceFor } from '../../../../src/engine/prices';

describe('engine/prices', () => {
  it('ships a price for each common OpenAI model', () => {
    for (const model of ['gpt-5.1', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini']) {
      const p = DEFAULT_PRICES[model];
      assert.ok(p, model);
      assert.ok(p.input > 0 && p.output > 0 && p.cachedInput > 0, model);
      assert.ok(p.cachedInput <= p.input, `${model}: cached input is never dearer than input`);
    }
    assert.deepEqual(DEFAULT_PRICES['gpt-5.1'], { input: 1.25, cachedInput: 0.125, output: 10 });
    assert.deepEqual(DEFAULT_PRICES['gpt-4o-mini'], { input: 0.15, cachedInput: 0.075, output: 0.6 });
  });

  it('finds exact names', () => {
    assert.deepEqual(priceFor('gpt-5-mini', {}), DEFAULT_PRICES['gpt-5-mini']);
    assert.deepEqual(priceFor('o3', {}), DEFAULT_PRICES.o3);
  });

  it('finds dated snapshots by the longest known prefix', () => {
    assert.deepEqual(priceFor('gpt-5.1-2025-11-13', {}), DEFAULT_PRICES['gpt-5.1']);
    assert.deepEqual(priceFor('gpt-4o-mini-2024-07-18', {}), DEFAULT_PRICES['gpt-4o-mini']);
    assert.deepEqual(priceFor('gpt-5-mini-2025-08-07', {}), DEFAULT_PRICES['gpt-5-mini']);
    assert.deepEqual(priceFor('o4-mini-2025-04-16', {}), DEFAULT_PRICES['o4-mini']);
  });

  it('only matches a prefix at a dash, so gpt-5 does not price an unknown gpt-5.9', () => {
    assert.equal(priceFor('gpt-5.9', {}), null);
    assert.equal(priceFor('o30', {}), null);
  });

  it('puts overrides first, by exact name and by prefix', () => {
    const mine = { input: 9, cachedInput: 1, output: 99 };
    assert.deepEqual(priceFor('gpt-5.1', { 'gpt-5.1': mine }), mine);
    assert.deepEqual(priceFor('gpt-5.1-2025-11-13', { 'gpt-5.1': mine }), mine);
    assert.deepEqual(priceFor('my-local-llama:8b', { 'my-local-llama:8b': mine }), mine);
    // An override of a shorter name does not reprice a more specific known model.
    assert.deepEqual(priceFor('gpt-5-mini', { 'gpt-5': mine }), DEFAULT_PRICES['gpt-5-mini']);
  });

  it('tolerates case and a provider prefix', () => {
    assert.deepEqual(priceFor('GPT-4o', {}), DEFAULT_PRICES['gpt-4o']);
    assert.deepEqual(priceFor('openai/gpt-4.1-mini', {}), DEFAULT_PRICES['gpt-4.1-mini']);
  });

  it('returns null for unknown models', () => {
    assert.equal(priceFor('llama3.1:8b', {}), null);
    assert.equal(priceFor('', {}), null);
  });

  it('prices uncached input, cached input and output at their own rates', () => {
    const price = { input: 2, cachedInput: 0.5, output: 8 };
    const usage = { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 250_000, reasoningTokens: 100_000 };
    // 600k × $2 + 400k × $0.5 + 250k × $8 (reasoning is inside output, not billed again)
    assert.equal(costOf(usage, price), 1.2 + 0.2 + 2);
  });

  it('costs nothing for an unknown price', () => {
    assert.equal(costOf({ inputTokens: 5000, cachedInputTokens: 0, outputTokens: 500, reasoningTokens: 0 }, null), 0);
  });

  it('never bills more cached tokens than there was input', () => {
    const price = { input: 1, cachedInput: 1000, output: 0 };
    assert.equal(costOf({ inputTokens: 10, cachedInputTokens: 50, outputTokens: 0, reasoningTokens: 0 }, price), (10 * 1000) / 1_000_000);
  });
});
