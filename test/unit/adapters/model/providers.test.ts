import assert from 'node:assert/strict';
import { inferProvider, isLoopbackUrl, isPrivateNetworkUrl, profileOf, resolveAzure } from '../../../../src/adapters/providers';
import { resolveModelEndpoint } from '../../../../src/adapters/modelEndpoint';
import { refusedField, withoutField, initialPlan } from '../../../../src/adapters/requestFields';
import { normaliseErrorBody } from '../../../../src/adapters/wireClient';
import { ModelError } from '../../../../src/engine/ports';

describe('providers', () => {
  it('infers the provider only where the URL leaves no doubt', () => {
    assert.equal(inferProvider('https://api.openai.com/v1'), 'openai');
    assert.equal(inferProvider('https://my-res.openai.azure.com'), 'azure');
    assert.equal(inferProvider('https://my-res.cognitiveservices.azure.com/openai/v1'), 'azure');
    assert.equal(inferProvider('http://localhost:11434/v1'), 'ollama');
    assert.equal(inferProvider('http://192.168.1.20:1234/v1'), 'lmstudio');
    assert.equal(inferProvider('http://localhost:8000/v1'), 'other', 'vLLM\'s port is everyone\'s port');
    assert.equal(inferProvider('http://localhost:8080/v1'), 'other');
    assert.equal(inferProvider('https://example.com:11434/v1'), 'other', 'a public host on 11434 is not assumed to be Ollama');
  });

  it('caps output with max_completion_tokens for OpenAI and Azure, max_tokens for the others', () => {
    assert.equal(profileOf('openai').capField, 'max_completion_tokens');
    assert.equal(profileOf('azure').capField, 'max_completion_tokens');
    for (const p of ['ollama', 'lmstudio', 'vllm', 'llamacpp', 'other'] as const) assert.equal(profileOf(p).capField, 'max_tokens', p);
  });

  it('treats this machine and the private network as local, and nothing that merely looks like it', () => {
    for (const url of ['http://127.3.4.5:1/v1', 'http://[::1]:8000/v1', 'http://localhost/v1', 'http://10.0.0.7:8000/v1', 'http://172.16.0.1/v1', 'http://172.31.255.255/v1', 'http://192.168.0.10:11434/v1', 'http://gpu-box.local:8080/v1', 'http://[fd12::1]:8000/v1']) {
      assert.equal(isPrivateNetworkUrl(url), true, url);
    }
    for (const url of ['http://172.32.0.1/v1', 'http://172.15.0.1/v1', 'http://11.0.0.1/v1', 'https://192.168.0.1.nip.io/v1', 'https://local.example.com/v1', 'not a url']) {
      assert.equal(isPrivateNetworkUrl(url), false, url);
    }
    assert.equal(isLoopbackUrl('http://10.0.0.7/v1'), false);
  });

  it('needs no key for a private-network server', () => {
    const r = resolveModelEndpoint({ baseUrl: 'http://10.1.2.3:8000/v1', env: {} });
    assert.equal(r.local, true);
    assert.equal(r.apiKey, 'no-key');
    assert.throws(() => resolveModelEndpoint({ baseUrl: 'https://vllm.example.com/v1', env: {} }), (e: unknown) => e instanceof ModelError && e.kind === 'auth');
  });

  describe('Azure URLs', () => {
    it('reads the resource root, /openai, and a deployments URL with its api-version query', () => {
      assert.deepEqual(resolveAzure('https://r.openai.azure.com', 'dep', '2024-10-21'), { kind: 'classic', endpoint: 'https://r.openai.azure.com', deployment: 'dep', apiVersion: '2024-10-21' });
      assert.deepEqual(resolveAzure('https://r.openai.azure.com/openai/', 'dep', '2024-10-21').kind, 'classic');
      assert.deepEqual(
        resolveAzure('https://r.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-06-01', 'ignored', ''),
        { kind: 'classic', endpoint: 'https://r.openai.azure.com', deployment: 'gpt4o-prod', apiVersion: '2024-06-01' },
      );
    });

    it('reads the v1 API, which needs no api-version', () => {
      assert.deepEqual(resolveAzure('https://r.openai.azure.com/openai/v1/', 'm', ''), { kind: 'v1', baseUrl: 'https://r.openai.azure.com/openai/v1', apiVersion: '' });
    });

    it('asks for an api-version for the classic URL, naming the setting, the flag and the v1 alternative', () => {
      assert.throws(() => resolveModelEndpoint({ baseUrl: 'https://r.openai.azure.com', provider: 'azure', apiKey: 'k', model: 'dep', env: {} }), (e: unknown) =>
        e instanceof ModelError && e.kind === 'bad-request' && /goalpost\.apiVersion \/ --api-version/.test(e.message) && /\/openai\/v1/.test(e.message));
      const ok = resolveModelEndpoint({ baseUrl: 'https://r.openai.azure.com', provider: 'azure', apiKey: 'k', model: 'dep', env: { OPENAI_API_VERSION: '2024-10-21' } });
      assert.equal(ok.azure?.kind, 'classic');
    });
  });

  describe('refused fields', () => {
    it('finds the refused field in OpenAI, Azure, vLLM and Rust-server wordings', () => {
      const sent = ['max_completion_tokens', 'stream_options', 'tool_choice'] as const;
      assert.equal(refusedField("Unsupported parameter: 'max_completion_tokens' is not supported with this model.", [...sent]), 'max_completion_tokens');
      assert.equal(refusedField('Unrecognized request argument supplied: stream_options', [...sent]), 'stream_options');
      assert.equal(refusedField("[{'type': 'extra_forbidden', 'loc': ('body', 'stream_options'), 'msg': 'Extra inputs are not permitted'}]", [...sent]), 'stream_options');
      assert.equal(refusedField('Failed to deserialize the JSON body: unknown field `tool_choice`', [...sent]), 'tool_choice');
      assert.equal(refusedField("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", ['max_tokens']), 'max_tokens');
      assert.equal(refusedField('Invalid value for messages', [...sent]), null);
      assert.equal(refusedField('max_completion_tokens must be positive', [...sent]), null, 'a bad value is not a refused field');
    });

    it('swaps the cap field for its other name, then drops it', () => {
      const plan = initialPlan('max_completion_tokens');
      const swapped = withoutField(plan, 'max_completion_tokens', new Set());
      assert.equal(swapped?.capField, 'max_tokens');
      assert.equal(withoutField(swapped ?? plan, 'max_tokens', new Set(['max_completion_tokens']))?.capField, null);
      assert.equal(withoutField(plan, 'max_tokens', new Set()), null, 'a field not sent changes nothing');
    });
  });

  it('normalises top-level, string and FastAPI error bodies into the SDK\'s shape', () => {
    assert.deepEqual(normaliseErrorBody({ object: 'error', message: 'bad', type: 'BadRequestError', param: null, code: 400 }), { error: { message: 'bad', type: 'BadRequestError', code: '400', param: null } });
    assert.deepEqual(normaliseErrorBody({ error: 'model "x" not found, try pulling it first' }), { error: { message: 'model "x" not found, try pulling it first', type: undefined } });
    assert.deepEqual(normaliseErrorBody({ detail: [{ msg: 'field required' }] }), { error: { message: '[{"msg":"field required"}]' } });
    const standard = { error: { message: 'm', type: 't' } };
    assert.equal(normaliseErrorBody(standard), standard);
  });
});
