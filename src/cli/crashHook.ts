// Deterministic kill -9 for the crash tests (issue 12): GOALPOST_TEST_CRASH_AT=<point>[:<n>] makes the
// CLI SIGKILL itself the n-th time (default first) the engine reaches that CrashPoint. Nothing is
// cleaned up, exactly as after a real kill -9. Unset (always, outside tests), the engine gets no hook.
import type { CrashPoint } from '../engine/loop/deps';

const POINTS: readonly CrashPoint[] = ['before-commit', 'after-commit', 'after-done', 'audit'];

/** The hook for `env`, or undefined when no crash was asked for; a malformed value is an error. */
export function crashHookFromEnv(env: Record<string, string | undefined>): ((point: CrashPoint) => void) | undefined {
  const raw = env.GOALPOST_TEST_CRASH_AT?.trim();
  if (!raw) return undefined;
  const m = /^([a-z-]+)(?::(\d+))?$/.exec(raw);
  const target = m ? POINTS.find((p) => p === m[1]) : undefined;
  if (!m || !target) throw new Error(`GOALPOST_TEST_CRASH_AT must be one of ${POINTS.join(', ')}, optionally followed by :<n>; got ${JSON.stringify(raw)}.`);
  const nth = m[2] ? Number(m[2]) : 1;
  let seen = 0;
  return (point) => {
    if (point !== target || ++seen !== nth) return;
    process.kill(process.pid, 'SIGKILL');
  };
}
