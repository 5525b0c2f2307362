// A seeded random source for property tests and benchmarks, so a failing case or a run's instants can be replayed.

/** A deterministic source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough for picking cases; the same seed gives the same sequence. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
