// The one abortable sleep (the loop's delay between iterations and the model client's backoff): a pause
// must never wait out the delay.
import assert from 'node:assert/strict';
import { SleepAborted, systemClock } from '../../../../src/adapters/systemClock';

describe('systemClock.sleep', () => {
  it('resolves after the delay when nothing aborts it', async () => {
    const started = Date.now();
    await systemClock.sleep(30);
    assert.ok(Date.now() - started >= 25, `resolved after ${Date.now() - started} ms`);
  });

  it('rejects as soon as the signal fires, well before the delay', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const sleeping = systemClock.sleep(60_000, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(sleeping, SleepAborted);
    assert.ok(Date.now() - started < 30_000, `rejected after ${Date.now() - started} ms`);
  });

  it('rejects at once when the signal has already fired', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(systemClock.sleep(60_000, ac.signal), (e: unknown) => e instanceof SleepAborted && e.name === 'AbortError');
  });
});
