import assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, isLocalUrl, resolveModelEndpoint } from '../../../../src/adapters/openaiModel';
import { ModelError } from '../../../../src/engine/ports';

describe('resolveModelEndpoint', () => {
  it('prefers the option, then OPENAI_BASE_URL, then the SDK default', () => {
    const env = { OPENAI_BASE_URL: 'https://env.example/v1', OPENAI_API_KEY: 'sk-env' };
    assert.equal(resolveModelEndpoint({ baseUrl: 'https://opt.example/v1', env }).baseUrl, 'https://opt.example/v1');
    assert.equal(resolveModelEndpoint({ env }).baseUrl, 'https://env.example/v1');
    assert.equal(resolveModelEndpoint({ env: { OPENAI_API_KEY: 'sk-env' } }).baseUrl, DEFAULT_BASE_URL);
  });

  it('treats empty settings as unset', () => {
    const r = resolveModelEndpoint({ baseUrl: '', apiKey: '  ', env: { OPENAI_BASE_URL: 'https://env.example/v1', OPENAI_API_KEY: 'sk-env' } });
    assert.equal(r.baseUrl, 'https://env.example/v1');
    assert.equal(r.apiKey, 'sk-env');
  });

  it('prefers the key option over OPENAI_API_KEY', () => {
    assert.equal(resolveModelEndpoint({ apiKey: 'sk-opt', env: { OPENAI_API_KEY: 'sk-env' } }).apiKey, 'sk-opt');
  });

  it('needs no key for localhost, 127.0.0.1 and [::1]', () => {
    for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8000/v1']) {
      const r = resolveModelEndpoint({ baseUrl: url, env: {} });
      assert.equal(r.local, true, url);
      assert.equal(r.apiKey, 'no-key', url);
    }
  });

  it('refuses a remote URL without a key', () => {
    assert.throws(
      () => resolveModelEndpoint({ baseUrl: 'https://my-azure.example/openai/v1', env: {} }),
      (e: unknown) => e instanceof ModelError && e.kind === 'auth' && e.message === 'No API key: set one with "Goalpost: Set API Key" or OPENAI_API_KEY.',
    );
    assert.throws(() => resolveModelEndpoint({ env: {} }), (e: unknown) => e instanceof ModelError && e.kind === 'auth');
  });

  it('refuses a base URL that is not a URL', () => {
    assert.throws(
      () => resolveModelEndpoint({ baseUrl: 'localhost:11434', apiKey: 'k', env: {} }),
      (e: unknown) => e instanceof ModelError && e.kind === 'bad-request' && /not a valid URL/.test(e.message),
    );
  });

  it('does not mistake look-alike hosts for local ones', () => {
    assert.equal(isLocalUrl('https://localhost.evil.example/v1'), false);
    assert.equal(isLocalUrl('https://127.0.0.1.nip.io/v1'), false);
    assert.equal(isLocalUrl('http://127.0.0.2:8080/v1'), true);
  });
});
