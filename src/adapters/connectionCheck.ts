// The connection check of `goalpost doctor` and "Goalpost: Test Connection" (PRODUCT.md F12): the
// endpoint resolves, the server is reachable, the key is accepted, the model is known, a streamed
// request with one tool call round-trips, and usage is reported. Each line says what works and, where
// not, the exact setting or server flag to change. The probe goes through OpenAIModel, so it meets
// the server exactly as a goal would (same dialect handling, same classifier).
import { ModelError, type ChatMessage, type ModelRequest, type ModelResponse, type ToolSpec } from '../engine/ports';
import type { ProviderSetting } from '../engine/settings';
import { createClient, describeEndpoint, resolveModelEndpoint, type ModelEndpoint } from './modelEndpoint';
import { classifyFailure } from './openaiErrors';
import { OpenAIModel } from './openaiModel';

/** One line of the report. */
export interface CheckLine {
  check: string;
  ok: boolean;
  detail: string;
  /** The setting or server flag to change, when not ok. */
  fix?: string;
}

/** The whole report; `ok` is true when a goal can run against this endpoint. */
export interface ConnectionReport {
  ok: boolean;
  lines: CheckLine[];
}

/** What to check; the same inputs as the model adapter. */
export interface ConnectionOptions {
  baseUrl?: string;
  apiKey?: string;
  provider?: ProviderSetting | '';
  apiVersion?: string;
  model: string;
  env: Record<string, string | undefined>;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** The probe tool: harmless, one required argument, so a round trip proves arguments arrive intact. */
export const PING_TOOL: ToolSpec = {
  name: 'goalpost_ping',
  description: 'Replies to a connection check. Call it with the word you were given.',
  parameters: { type: 'object', properties: { word: { type: 'string', description: 'The word to send back.' } }, required: ['word'], additionalProperties: false },
};

const SYSTEM = 'You are checking that tool calling works. Always answer by calling a tool.';
const USER = 'Call the goalpost_ping tool with word "pong". Do not reply with text.';

const KEY_FIX = 'Set the key with "Goalpost: Set API Key" (editor) or OPENAI_API_KEY (CLI); a local or private-network server needs none.';

function fixFor(e: ModelError): string | undefined {
  switch (e.kind) {
    case 'auth':
      return KEY_FIX;
    case 'unknown-model':
      return 'Set goalpost.model / --model to a model (Azure: a deployment) the server serves.';
    case 'network':
      return 'Start the server or fix goalpost.baseUrl / --base-url; a slow server may need a larger goalpost.requestIdleTimeoutSeconds / --request-idle-timeout.';
    case 'context-length':
      return 'Give the server a larger context window (llama-server -c, vLLM --max-model-len, Ollama num_ctx) and set goalpost.contextWindowTokens / --context-window to it.';
    case 'quota':
      return 'Add credit or raise the spending limit with the provider.';
    case 'rate-limit':
      return 'Wait and try again, or raise the rate limit with the provider.';
    default:
      // server-setup and bad-request messages already carry the fix the server's wording allows.
      return undefined;
  }
}

function endpointLine(ep: ModelEndpoint, inferred: boolean): CheckLine {
  const key = ep.local ? 'no key needed (this machine or the private network)' : 'key set';
  const how = inferred ? `inferred from the URL; set goalpost.provider / --provider if that is wrong` : 'from goalpost.provider / --provider';
  return { check: 'Endpoint', ok: true, detail: `${describeEndpoint(ep)} — ${ep.profile.label} (${how}); output cap sent as ${ep.profile.capField}; ${key}.` };
}

/** GET /models: reachable, key accepted, model listed. Returns false when nothing further can work. */
async function probeModels(ep: ModelEndpoint, opts: ConnectionOptions, lines: CheckLine[]): Promise<boolean> {
  if (ep.azure?.kind === 'classic') {
    lines.push({ check: 'Reachable', ok: true, detail: 'Azure deployments URL: reachability, key and deployment are checked by the request below.' });
    return true;
  }
  try {
    const list = await createClient(ep, opts.idleTimeoutMs ?? 30_000).models.list({ signal: opts.signal });
    const ids = list.data.map((m) => m.id);
    lines.push({ check: 'Reachable', ok: true, detail: `${describeEndpoint(ep)} answered.` });
    lines.push({ check: 'API key', ok: true, detail: ep.local ? 'Accepted (none needed).' : 'Accepted.' });
    const known = ids.some((id) => id === opts.model || id === `${opts.model}:latest` || id.endsWith(`/${opts.model}`));
    const shown = ids.slice(0, 8).join(', ') + (ids.length > 8 ? ', …' : '');
    if (known || ids.length === 0) {
      lines.push({ check: 'Model', ok: true, detail: known ? `"${opts.model}" is served.` : `The server lists no models; "${opts.model}" is tried below.` });
    } else {
      const pull = ep.provider === 'ollama' ? ` or pull it: ollama pull ${opts.model}` : '';
      lines.push({ check: 'Model', ok: false, detail: `"${opts.model}" is not among the models the server lists (${shown}).`, fix: `Set goalpost.model / --model to one of them${pull}.` });
    }
    return true;
  } catch (e) {
    const f = classifyFailure(e, { model: opts.model, baseUrl: describeEndpoint(ep), aborted: opts.signal?.aborted === true, provider: ep.provider });
    if (f.kind === 'network') {
      lines.push({ check: 'Reachable', ok: false, detail: f.message, fix: 'Start the server, or fix goalpost.baseUrl / --base-url (Ollama: http://localhost:11434/v1, LM Studio: http://localhost:1234/v1, vLLM: http://HOST:8000/v1, llama.cpp: http://HOST:8080/v1).' });
      return false;
    }
    lines.push({ check: 'Reachable', ok: true, detail: `${describeEndpoint(ep)} answered.` });
    if (f.kind === 'auth') {
      lines.push({ check: 'API key', ok: false, detail: f.message, fix: KEY_FIX });
      return false;
    }
    // No /models route (some servers, some proxies): the chat request below is the real test.
    lines.push({ check: 'Model', ok: true, detail: `The server does not list models (${f.status ?? 'error'}); "${opts.model}" is tried below.` });
    return true;
  }
}

function argsOf(response: ModelResponse): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(response.toolCalls[0]?.arguments ?? '');
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Runs every check in order; later checks are skipped when an earlier failure makes them moot. */
export async function checkConnection(opts: ConnectionOptions): Promise<ConnectionReport> {
  const lines: CheckLine[] = [];
  let ep: ModelEndpoint;
  try {
    ep = resolveModelEndpoint({ ...opts });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    lines.push({ check: 'Endpoint', ok: false, detail: e.message, fix: e.kind === 'auth' ? KEY_FIX : undefined });
    return { ok: false, lines };
  }
  lines.push(endpointLine(ep, !opts.provider || opts.provider === 'auto'));
  if (!(await probeModels(ep, opts, lines))) return { ok: false, lines };

  const model = new OpenAIModel({ ...opts, maxTries: 2, baseDelayMs: 200, idleTimeoutMs: opts.idleTimeoutMs });
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }, { role: 'user', content: USER }];
  const request: ModelRequest = { role: 'actor', model: opts.model, messages, tools: [PING_TOOL], toolChoice: 'auto', maxTokens: 1024 };
  let first: ModelResponse;
  try {
    first = await model.complete(request, opts.signal);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    lines.push({ check: 'Tool call', ok: false, detail: e.message, fix: fixFor(e) });
    return { ok: false, lines };
  }
  const call = first.toolCalls[0];
  if (!call) {
    lines.push({ check: 'Tool call', ok: false, detail: `The model answered in text and called no tool${first.content ? ` ("${first.content.slice(0, 120)}")` : ''}: it may not support tool calling.`, fix: 'Choose a model that supports tool calling (goalpost.model / --model), e.g. qwen2.5-coder or llama3.1 on local servers.' });
    return { ok: false, lines };
  }
  const args = argsOf(first);
  if (call.name !== PING_TOOL.name || !args || typeof args.word !== 'string') {
    lines.push({ check: 'Tool call', ok: false, detail: `The tool call arrived damaged: ${call.name}(${call.arguments.slice(0, 200)}).`, fix: 'Set goalpost.provider / --provider to your server so its habits are expected, or report the server and version.' });
    return { ok: false, lines };
  }
  lines.push({ check: 'Tool call', ok: true, detail: `Streamed ${call.name}(${call.arguments}) arrived intact.` });

  try {
    await model.complete({
      ...request,
      messages: [...messages, { role: 'assistant', content: first.content, toolCalls: [call] }, { role: 'tool', toolCallId: call.id, content: 'pong received. Reply with the single word: done.' }],
      toolChoice: 'auto',
      maxTokens: 256,
    }, opts.signal);
    lines.push({ check: 'Tool result', ok: true, detail: 'The server accepted the tool result and answered.' });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    lines.push({ check: 'Tool result', ok: false, detail: `The server refused the tool result: ${e.message}`, fix: fixFor(e) ?? 'Upgrade the server or use its tool-calling chat template (llama.cpp: --jinja).' });
    return { ok: false, lines };
  }

  const u = first.usage;
  lines.push(first.usageEstimated
    ? { check: 'Usage', ok: false, detail: 'The server reported no token usage: Goalpost estimates tokens from text length, so the budget is approximate.', fix: 'Upgrade the server to one that honours stream_options.include_usage (a goal still runs).' }
    : { check: 'Usage', ok: true, detail: `Reported: ${u.inputTokens} input, ${u.outputTokens} output tokens.` });
  // Missing usage is a warning: the budget is estimated, but a goal runs.
  return { ok: lines.every((l) => l.ok || l.check === 'Usage'), lines };
}

/** The report as plain text lines, for the CLI and the output channel. */
export function formatReport(report: ConnectionReport): string[] {
  const out: string[] = [];
  for (const l of report.lines) {
    out.push(`${l.ok ? '✓' : '✗'} ${l.check}: ${l.detail}`);
    if (l.fix) out.push(`    fix: ${l.fix}`);
  }
  out.push(report.ok ? 'The endpoint is ready for Goalpost.' : 'The endpoint is not ready for Goalpost: fix the first ✗ above and check again.');
  return out;
}
