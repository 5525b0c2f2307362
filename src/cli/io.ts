// The process surface a command uses (streams, environment, working directory), passed in so a
// command never reaches for globals it does not need and its output always goes to one place.
import type { OutStream } from './progress';

/** Streams and environment of one CLI invocation. */
export interface CliIo {
  out: OutStream;
  err: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return { out: process.stdout, err: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}
