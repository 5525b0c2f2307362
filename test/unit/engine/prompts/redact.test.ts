import { strict as assert } from 'node:assert';
import { REDACTED, redactSecrets } from '../../../../src/engine/redact';

describe('redactSecrets', () => {
  it('replaces every occurrence of each given secret', () => {
    const secret = 'my-local-server-token-123';
    assert.equal(redactSecrets(`key=${secret}; again ${secret}.`, [secret]), `key=${REDACTED}; again ${REDACTED}.`);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    assert.equal(redactSecrets('abcdefgh-ijkl', ['abcdefgh', 'abcdefgh-ijkl']), REDACTED);
  });

  it('ignores empty and very short secrets instead of blanking ordinary text', () => {
    assert.equal(redactSecrets('a test of the code', ['', 'e', 'test']), 'a test of the code');
  });

  it('replaces anything shaped like an OpenAI key, even when not given', () => {
    const out = redactSecrets('export OPENAI_API_KEY=sk-proj-AbCdEf0123456789_xyzXYZ-0987 && run', []);
    assert.equal(out, `export OPENAI_API_KEY=${REDACTED} && run`);
    assert.equal(redactSecrets('the flag is --sk-short', []), 'the flag is --sk-short');
  });

  it('replaces a key a server echoes masked, since its visible tail still names the key', () => {
    assert.equal(redactSecrets('Incorrect API key provided: sk-proj-****abcd1234.', []), `Incorrect API key provided: ${REDACTED}.`);
    assert.equal(redactSecrets('key sk-****7890 refused', []), `key ${REDACTED} refused`);
  });

  it('replaces Bearer tokens but keeps the scheme', () => {
    assert.equal(redactSecrets('Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9.abc', []), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactSecrets('authorization: bearer abcdefgh12345678', []), `authorization: bearer ${REDACTED}`);
  });

  it('replaces GitHub tokens and AWS key ids', () => {
    assert.equal(redactSecrets('token ghp_abcdefghijklmnopqrstuvwxyz0123456789', []), `token ${REDACTED}`);
    assert.equal(redactSecrets('id AKIAIOSFODNN7EXAMPLE.', []), `id ${REDACTED}.`);
  });

  it('leaves text without secrets unchanged', () => {
    const text = 'diff --git a/src/a.ts b/src/a.ts\n+const risk = "skeleton";';
    assert.equal(redactSecrets(text, ['not-present-secret']), text);
  });
});
