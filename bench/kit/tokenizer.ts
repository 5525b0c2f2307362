// The real tokenizer of the benchmarks: o200k_base (GPT-4o / GPT-5 family) through js-tiktoken, loaded
// once per process because building the encoder takes about two seconds.
import { getEncoding, type Tiktoken } from 'js-tiktoken';

let encoder: Tiktoken | null = null;

function enc(): Tiktoken {
  encoder ??= getEncoding('o200k_base');
  return encoder;
}

/** The o200k_base tokens of `text`. */
export function encode(text: string): number[] {
  return enc().encode(text);
}

/** How many o200k_base tokens `text` has. */
export function countTokens(text: string): number {
  return text === '' ? 0 : enc().encode(text).length;
}

/** Length of the common prefix of two token arrays. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
