// Wall time and call counts spent inside each port, so a benchmark can subtract the fakes (model,
// commands, git) from an iteration and say how much of the rest is the store or the workspace.

/** Time and calls of one port method. */
export interface MethodFigures {
  ms: number;
  calls: number;
}

/** Accumulates figures per `port.method`. */
export class Meter {
  readonly figures = new Map<string, MethodFigures>();

  private add(key: string, ms: number): void {
    const f = this.figures.get(key) ?? { ms: 0, calls: 0 };
    f.ms += ms;
    f.calls += 1;
    this.figures.set(key, f);
  }

  /** Total time and calls of every method of `port` (or of one method when `method` is given). */
  total(port: string, method?: string): MethodFigures {
    return sumPort(this.figures, port, method);
  }

  /** A copy of the current totals, for differences between two points in time. */
  snapshot(): Map<string, MethodFigures> {
    return new Map([...this.figures].map(([k, f]) => [k, { ...f }]));
  }

  /**
   * `target` with every method timed under `port.method`. Async methods are timed until they settle.
   * Ports are called one at a time by the loop, so the times do not overlap.
   */
  wrap<T extends object>(port: string, target: T): T {
    const add = (key: string, ms: number): void => this.add(key, ms);
    return new Proxy(target, {
      get(obj, prop, receiver): unknown {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const fn = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]): unknown => {
          const started = performance.now();
          const result = fn.apply(obj, args);
          if (result instanceof Promise) {
            return result.finally(() => add(`${port}.${prop}`, performance.now() - started));
          }
          add(`${port}.${prop}`, performance.now() - started);
          return result;
        };
      },
    });
  }
}

/** Summed figures of one port (all its methods, or one) in `figures`. */
export function sumPort(figures: Map<string, MethodFigures>, port: string, method?: string): MethodFigures {
  const out = { ms: 0, calls: 0 };
  for (const [key, f] of figures) {
    if (method === undefined ? key.startsWith(`${port}.`) : key === `${port}.${method}`) {
      out.ms += f.ms;
      out.calls += f.calls;
    }
  }
  return out;
}

/** Figures of `after` minus `before` for one port (all methods, or one). */
export function portDelta(before: Map<string, MethodFigures>, after: Map<string, MethodFigures>, port: string, method?: string): MethodFigures {
  const a = sumPort(before, port, method);
  const b = sumPort(after, port, method);
  return { ms: b.ms - a.ms, calls: b.calls - a.calls };
}
