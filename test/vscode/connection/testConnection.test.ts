// "Goalpost: Test Connection" in a real extension host against the scripted server, through the contract
// the panel relies on: executeCommand('goalpost.testConnection', { baseUrl?, provider?, model?, silent? })
// resolves to { ok, lines: [{ check, ok, detail, fix? }] }.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionReport } from '../../../src/adapters/connectionCheck';
import { DIALECTS, MISSING_TOOL_FLAGS } from '../../support/scriptedDialects';
import { startScriptedServer, toolCall, type ScriptedServer } from '../../support/scriptedServer';
import { goalpostExports, waitFor } from '../goalpostExports';

const KEY = 'sk-connectiontest-0123456789abcdef';
const PING = [toolCall('goalpost_ping', { word: 'pong' }), { content: 'done' }];

describe('Goalpost: Test Connection', function () {
  this.timeout(60_000);
  let server: ScriptedServer | null = null;

  afterEach(async () => {
    await server?.close();
    server = null;
    const config = vscode.workspace.getConfiguration('goalpost');
    await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('provider', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('silent: resolves to the report, using the stored key and the arguments given', async () => {
    await goalpostExports();
    await vscode.commands.executeCommand('goalpost.setApiKey', KEY);
    server = await startScriptedServer(PING);
    const report = await vscode.commands.executeCommand<ConnectionReport>('goalpost.testConnection', { baseUrl: server.baseUrl, model: 'scripted-model', provider: 'vllm', silent: true });
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    assert.deepEqual(report.lines.map((l) => l.check), ['Endpoint', 'Reachable', 'API key', 'Model', 'Tool call', 'Tool result', 'Usage']);
    assert.ok(report.lines.every((l) => l.ok && typeof l.detail === 'string'));
    assert.match(report.lines[0].detail, /vLLM/);
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`, 'the key from secret storage');
  });

  it('without arguments it checks the configured endpoint', async () => {
    server = await startScriptedServer(PING);
    const config = vscode.workspace.getConfiguration('goalpost');
    await config.update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Workspace);
    await config.update('provider', 'lmstudio', vscode.ConfigurationTarget.Workspace);
    const report = await vscode.commands.executeCommand<ConnectionReport>('goalpost.testConnection', { model: 'scripted-model', silent: true });
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    assert.match(report.lines[0].detail, /LM Studio \(from goalpost\.provider/);
    assert.equal(typeof server.requests[0].body.max_tokens, 'number', 'LM Studio gets max_tokens');
  });

  it('not silent: a failure is shown with the server message and the fix', async () => {
    const api = await goalpostExports();
    server = await startScriptedServer(PING, { dialect: { ...DIALECTS.llamacppOld, toolsNeedFlag: MISSING_TOOL_FLAGS.llamacpp } });
    api.ui.answerNext(/Tool call/, undefined);
    const report = await vscode.commands.executeCommand<ConnectionReport>('goalpost.testConnection', { baseUrl: server.baseUrl, model: 'scripted-model', provider: 'llamacpp' });
    assert.equal(report.ok, false);
    const line = report.lines.find((l) => l.check === 'Tool call');
    assert.equal(line?.ok, false);
    assert.match(line?.detail ?? '', /--jinja/);
    const shown = await waitFor('the error notification', () => api.ui.shown.find((m) => m.level === 'error' && /Tool call/.test(m.text)));
    assert.match(shown.text, /Restart llama-server with --jinja/);
    assert.deepEqual(shown.actions, ['Show Details']);
  });

  it('refuses unknown arguments with a clear line instead of checking something else', async () => {
    const api = await goalpostExports();
    api.ui.answerNext(/invalid arguments/, undefined);
    const report = await vscode.commands.executeCommand<ConnectionReport>('goalpost.testConnection', { baseURL: 'http://127.0.0.1:1/v1', silent: true });
    assert.equal(report.ok, false);
    assert.equal(report.lines[0].check, 'Arguments');
    assert.match(report.lines[0].detail, /baseURL/);
  });
});
