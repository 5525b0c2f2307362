// The model adapter's tests look at the ModelError a failed request ends in (its kind, message and retries).
import assert from 'node:assert/strict';
import { ModelError } from '../../src/engine/ports';

/** Asserts that `p` rejects with a ModelError and returns it. */
export async function modelError(p: Promise<unknown>): Promise<ModelError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ModelError');
}
