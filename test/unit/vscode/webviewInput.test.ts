// The host validates every webview message against the protocol's zod/mini schemas, and says what was wrong
// in full English (zod/mini alone has no locale and would only say "Invalid input").
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/vscode/webviewInput';

describe('the host check of webview messages', () => {
  it('accepts each well-formed message as it was sent', () => {
    const messages = [
      { type: 'ready' },
      { type: 'command', command: 'pause', folder: '/w' },
      { type: 'openNote', folder: '/w', path: 'src/a.ts', line: 3 },
      { type: 'openCommit', folder: '/w', sha: 'abc1234' },
      { type: 'useLocalServer', baseUrl: 'http://localhost:11434/v1', preset: 'ollama' },
      { type: 'testConnection' },
    ];
    for (const m of messages) assert.deepEqual(parseWebviewMessage(m), { ok: true, message: m }, m.type);
  });

  it('refuses a bad field with a message that names the field and what it must be', () => {
    const r = parseWebviewMessage({ type: 'openNote', folder: '/w', path: '', line: -1 });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.match(r.error, /expected string to have >=1 characters/);
    assert.match(r.error, /at path/);
    assert.match(r.error, /expected number to be >=0/);
    assert.match(r.error, /at line/);
    assert.doesNotMatch(r.error, /\n/, 'one line for the log');
  });

  it('sets only an http(s) address as the model endpoint', () => {
    for (const baseUrl of ['javascript:alert(1)', 'file:///etc/passwd', 'localhost:11434']) {
      assert.equal(parseWebviewMessage({ type: 'useLocalServer', baseUrl }).ok, false, baseUrl);
    }
    assert.equal(parseWebviewMessage({ type: 'useLocalServer', baseUrl: 'https://gpu-box:8000/v1' }).ok, true);
  });

  it('refuses what is not in the protocol: an unknown type, a command no button runs, a sha that is not one', () => {
    for (const raw of [{ type: 'runShell', cmd: 'rm -rf /' }, { type: 'command', command: 'quit' }, { type: 'openCommit', folder: '/w', sha: 'HEAD; rm' }, 'ready', null]) {
      const r = parseWebviewMessage(raw);
      assert.equal(r.ok, false, JSON.stringify(raw));
      assert.ok(!r.ok && /Invalid (input|option|discriminator value|string): (expected|must)|Invalid discriminator value\. Expected/.test(r.error), `${JSON.stringify(raw)}: ${!r.ok ? r.error : ''}`);
    }
  });
});
