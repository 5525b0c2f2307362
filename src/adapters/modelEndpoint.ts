// Where model requests go, with which key and in which shape: the base URL (option → OPENAI_BASE_URL →
// OpenAI), the provider (option → inferred from the URL), the key (option → OPENAI_API_KEY; none needed
// on this machine or the private network), and for Azure the deployments URL or the v1 API.
import { ModelError } from '../engine/ports';
import type { ProviderSetting } from '../engine/settings';
import { AzureConfigError, inferProvider, isPrivateNetworkUrl, profileOf, resolveAzure, type AzureShape, type Provider, type ProviderProfile } from './providers';
import { WireClient } from './wireClient';

/** The SDK's default endpoint, used when neither the setting nor OPENAI_BASE_URL names one. */
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Sent when a local server needs no key; the SDK insists on some value. */
export const NO_KEY_PLACEHOLDER = 'no-key';

/** Where requests go and with which key. */
export interface ModelEndpoint {
  baseUrl: string;
  apiKey: string;
  /** True for this machine and the private network: no key required. */
  local: boolean;
  provider: Provider;
  profile: ProviderProfile;
  /** Set for provider azure. */
  azure: AzureShape | null;
}

/** Inputs of resolveModelEndpoint; empty strings count as unset (settings default to ""). */
export interface EndpointOptions {
  apiKey?: string;
  baseUrl?: string;
  /** `goalpost.provider` / `--provider`; unset, "" or "auto" infers it from the URL. */
  provider?: ProviderSetting | '';
  /** `goalpost.apiVersion` / `--api-version` (Azure). */
  apiVersion?: string;
  /** The actor model: for Azure classic, the deployment when the URL names none. */
  model?: string;
  env: Record<string, string | undefined>;
}

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/**
 * Resolves the endpoint. Throws ModelError('auth') for a remote URL without a key and
 * ModelError('bad-request') for a bad URL or an Azure URL that cannot work (named fix included).
 */
export function resolveModelEndpoint(opts: EndpointOptions): ModelEndpoint {
  const pick = (...values: (string | undefined)[]): string | undefined => values.map((v) => v?.trim()).find((v) => v);
  const baseUrl = pick(opts.baseUrl, opts.env.OPENAI_BASE_URL) ?? DEFAULT_BASE_URL;
  if (!/^https?:$/.test(protocolOf(baseUrl))) {
    throw new ModelError('bad-request', `The model base URL "${baseUrl}" is not a valid URL (http:// or https://): fix goalpost.baseUrl, --base-url or OPENAI_BASE_URL.`);
  }
  const provider: Provider = opts.provider && opts.provider !== 'auto' ? opts.provider : inferProvider(baseUrl);
  let azure: AzureShape | null = null;
  if (provider === 'azure') {
    try {
      azure = resolveAzure(baseUrl, opts.model ?? '', pick(opts.apiVersion, opts.env.OPENAI_API_VERSION) ?? '');
    } catch (e) {
      if (e instanceof AzureConfigError) throw new ModelError('bad-request', e.message);
      throw e;
    }
  }
  const local = isPrivateNetworkUrl(baseUrl);
  const apiKey = pick(opts.apiKey, opts.env.OPENAI_API_KEY, provider === 'azure' ? opts.env.AZURE_OPENAI_API_KEY : undefined);
  if (!apiKey && !local) {
    throw new ModelError('auth', 'No API key: set one with "Goalpost: Set API Key" or OPENAI_API_KEY.');
  }
  return { baseUrl, apiKey: apiKey ?? NO_KEY_PLACEHOLDER, local, provider, profile: profileOf(provider), azure };
}

/** Where chat requests really go, for messages (the Azure deployment URL, not the resource root). */
export function describeEndpoint(endpoint: ModelEndpoint): string {
  const a = endpoint.azure;
  if (a?.kind === 'classic') return `${a.endpoint}/openai/deployments/${a.deployment}`;
  if (a?.kind === 'v1') return a.baseUrl;
  return endpoint.baseUrl;
}

/** The SDK client for an endpoint; retries are off because the model adapter owns them. */
export function createClient(endpoint: ModelEndpoint, timeoutMs: number | undefined): WireClient {
  const common = { apiKey: endpoint.apiKey, maxRetries: 0, timeout: timeoutMs, logLevel: 'off' as const };
  const a = endpoint.azure;
  if (a?.kind === 'classic') {
    return new WireClient({
      ...common,
      baseURL: `${a.endpoint}/openai/deployments/${encodeURIComponent(a.deployment)}`,
      defaultQuery: { 'api-version': a.apiVersion },
      apiKeyHeader: true,
    });
  }
  if (a?.kind === 'v1') {
    return new WireClient({ ...common, baseURL: a.baseUrl, ...(a.apiVersion ? { defaultQuery: { 'api-version': a.apiVersion } } : {}), apiKeyHeader: true });
  }
  return new WireClient({ ...common, baseURL: endpoint.baseUrl });
}
