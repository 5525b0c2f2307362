// The openai SDK client, adapted to the servers that speak its protocol with an accent: Azure's
// `api-key` header instead of a bearer token, and error bodies that are not `{"error": {...}}` (older
// vLLM answers `{"object":"error","message":…}` at the top level, Ollama `{"error":"text"}`, FastAPI
// servers `{"detail":…}`), which the SDK alone would report as "status code (no body)".
import { OpenAI, type ClientOptions } from 'openai';

/** Rewrites any error body shape into `{ error: { message, type?, code? } }`, which the SDK understands. */
export function normaliseErrorBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const b = body as Record<string, unknown>;
  if (typeof b.error === 'object' && b.error !== null) return body;
  if (typeof b.error === 'string') return { error: { message: b.error, type: typeof b.type === 'string' ? b.type : undefined } };
  if (typeof b.message === 'string') {
    return { error: { message: b.message, type: b.type, code: typeof b.code === 'number' ? String(b.code) : b.code, param: b.param } };
  }
  if (b.detail !== undefined) {
    return { error: { message: typeof b.detail === 'string' ? b.detail : JSON.stringify(b.detail) } };
  }
  return body;
}

/** Options of WireClient: the SDK's, plus how the key travels. */
export interface WireClientOptions extends Omit<ClientOptions, 'apiKey' | 'defaultHeaders'> {
  apiKey: string;
  /** Send the key as `api-key: KEY` (Azure) instead of `Authorization: Bearer KEY`. */
  apiKeyHeader?: boolean;
}

export class WireClient extends OpenAI {
  private readonly useApiKeyHeader: boolean;

  constructor({ apiKeyHeader, ...options }: WireClientOptions) {
    super(apiKeyHeader ? { ...options, defaultHeaders: { 'api-key': options.apiKey } } : options);
    this.useApiKeyHeader = apiKeyHeader === true;
  }

  protected override async authHeaders(opts: Parameters<OpenAI['authHeaders']>[0]): ReturnType<OpenAI['authHeaders']> {
    // Azure refuses a bearer header it cannot read as an Entra token, so the key goes only in api-key.
    if (this.useApiKeyHeader) return undefined;
    return super.authHeaders(opts);
  }

  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): ReturnType<OpenAI['makeStatusError']> {
    return super.makeStatusError(status, normaliseErrorBody(error) as object, message, headers);
  }
}
