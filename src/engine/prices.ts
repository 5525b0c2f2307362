// Model prices for the cost figures of PRODUCT.md F4. Defaults are OpenAI's published list prices
// (dollars per million tokens); settings override them, and an unknown model is priced at $0 so the
// UI can say "price unknown" instead of guessing.
import type { TokenUsage } from './goal';
import type { PriceEntry } from './settings';

/** OpenAI list prices in dollars per million tokens (input / cached input / output). */
export const DEFAULT_PRICES: Readonly<Record<string, Readonly<PriceEntry>>> = Object.freeze({
  'gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5.1-codex-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
});

/** The entry whose key equals `name` or is its longest prefix ending at a `-` boundary, or null. */
function lookup(table: Readonly<Record<string, Readonly<PriceEntry>>>, name: string): PriceEntry | null {
  const exact = table[name];
  if (exact !== undefined) return { ...exact };
  let best: string | null = null;
  for (const key of Object.keys(table)) {
    // The boundary keeps 'gpt-5' from pricing 'gpt-5.1…' or 'o3' from pricing 'o30'.
    if (name.startsWith(`${key}-`) && (best === null || key.length > best.length)) best = key;
  }
  return best === null ? null : { ...table[best] };
}

/**
 * The price of `model` from the defaults merged with the settings' overrides (an override wins over the
 * default of the same name): exact name first, then the longest known prefix, so dated snapshots like
 * `gpt-5.1-2025-11-13` find `gpt-5.1` while an override of `gpt-5` does not reprice `gpt-5-mini`.
 * A provider prefix such as `openai/gpt-4o` is tried without it. Null when unknown (cost $0, shown as
 * "price unknown").
 */
export function priceFor(model: string, overrides: Record<string, PriceEntry>): PriceEntry | null {
  const table = { ...DEFAULT_PRICES, ...overrides };
  const name = model.trim();
  const candidates = [name, name.toLowerCase()];
  const slash = name.lastIndexOf('/');
  if (slash >= 0) candidates.push(name.slice(slash + 1), name.slice(slash + 1).toLowerCase());
  for (const candidate of candidates) {
    const found = lookup(table, candidate);
    if (found) return found;
  }
  return null;
}

/**
 * Dollars for one response: uncached input at the input rate, cached input at the cached rate, output
 * (reasoning included) at the output rate. Cached tokens beyond the input are ignored, as they cannot
 * be billed. An unknown price costs $0.
 */
export function costOf(u: TokenUsage, price: PriceEntry | null): number {
  if (price === null) return 0;
  const cached = Math.min(u.cachedInputTokens, u.inputTokens);
  const uncached = u.inputTokens - cached;
  return (uncached * price.input + cached * price.cachedInput + u.outputTokens * price.output) / 1_000_000;
}
