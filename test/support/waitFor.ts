// Tests wait on a condition, never for a fixed time: a loaded or cold machine is slower, never wrong.

/** Polls `predicate` every 25 ms until it holds; past `timeoutMs` it fails naming `what` it waited for. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
