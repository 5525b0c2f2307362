// Which kind of OpenAI-compatible server the base URL points at (PRODUCT.md F9.1), and what that decides:
// the output-cap field, how the key is sent, and for Azure the URL, api-version and deployment. Only
// what a server's documentation promises lives here; habits found at run time (a rejected field) are
// remembered by the model adapter.
import * as z from 'zod';
import { PROVIDER_NAMES } from '../engine/settings';

/** The providers `goalpost.provider` / `--provider` accept (besides `auto`). */
export const PROVIDERS = PROVIDER_NAMES;
export const Provider = z.enum(PROVIDERS);
/** One of PROVIDERS. */
export type Provider = z.infer<typeof Provider>;

/** The request field that caps output tokens. */
export type CapField = 'max_completion_tokens' | 'max_tokens';

/** What a provider decides about requests. */
export interface ProviderProfile {
  provider: Provider;
  /** Human name for messages. */
  label: string;
  capField: CapField;
}

const LABELS: Record<Provider, string> = {
  openai: 'OpenAI',
  azure: 'Azure OpenAI',
  ollama: 'Ollama',
  lmstudio: 'LM Studio',
  vllm: 'vLLM',
  llamacpp: 'llama.cpp',
  other: 'the OpenAI-compatible server',
};

/** OpenAI and Azure document max_completion_tokens (reasoning models refuse max_tokens); the others honour only max_tokens. */
export function profileOf(provider: Provider): ProviderProfile {
  const capField: CapField = provider === 'openai' || provider === 'azure' ? 'max_completion_tokens' : 'max_tokens';
  return { provider, label: LABELS[provider], capField };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Host without IPv6 brackets, lower case. */
function hostOf(url: string): string | null {
  const u = parseUrl(url);
  return u ? u.hostname.toLowerCase().replace(/^\[|\]$/g, '') : null;
}

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** Whether a base URL points at this machine (localhost, 127/8, ::1). */
export function isLoopbackUrl(url: string): boolean {
  const host = hostOf(url);
  if (host === null) return false;
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  const v4 = ipv4(host);
  return v4 !== null && v4[0] === 127;
}

/**
 * Whether a base URL points at this machine or the private network (10/8, 172.16/12, 192.168/16,
 * IPv6 unique-local fc00::/7, link-local, *.local): a box there needs no key.
 */
export function isPrivateNetworkUrl(url: string): boolean {
  if (isLoopbackUrl(url)) return true;
  const host = hostOf(url);
  if (host === null) return false;
  if (host.endsWith('.local')) return true;
  const v4 = ipv4(host);
  if (v4) {
    const [a, b] = v4;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  return host.includes(':') && /^(f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):/.test(host);
}

/** Well-known default ports of local servers; a URL on one of them is that server. */
const PORTS: Record<string, Provider> = { '11434': 'ollama', '1234': 'lmstudio' };

/**
 * The provider a base URL names without doubt, else `other`: api.openai.com, *.openai.azure.com (and
 * the newer *.cognitiveservices.azure.com / *.services.ai.azure.com), Ollama's 11434 and LM Studio's
 * 1234 on a private address. vLLM (8000) and llama.cpp (8080) share ports with everything else, so
 * they are never guessed.
 */
export function inferProvider(baseUrl: string): Provider {
  const u = parseUrl(baseUrl);
  if (!u) return 'other';
  const host = u.hostname.toLowerCase();
  if (host === 'api.openai.com') return 'openai';
  if (/\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/.test(host)) return 'azure';
  if (isPrivateNetworkUrl(baseUrl) && PORTS[u.port]) return PORTS[u.port];
  return 'other';
}

/** Azure OpenAI's two URL shapes. */
export type AzureShape =
  /** https://RESOURCE.openai.azure.com/openai/deployments/DEPLOYMENT/chat/completions?api-version=V */
  | { kind: 'classic'; endpoint: string; deployment: string; apiVersion: string }
  /** https://RESOURCE.openai.azure.com/openai/v1/chat/completions (no api-version needed) */
  | { kind: 'v1'; baseUrl: string; apiVersion: string };

/** An Azure URL Goalpost cannot use, with what to change. */
export class AzureConfigError extends Error {}

/**
 * Reads an Azure base URL in any of the forms people paste: the resource root, `/openai`,
 * `/openai/deployments/NAME` (the deployment then wins over the model), `/openai/v1`, each possibly with
 * `?api-version=` (the SDK would mangle a query left in the base URL, so it is taken out here).
 */
export function resolveAzure(baseUrl: string, model: string, apiVersion: string): AzureShape {
  const u = parseUrl(baseUrl);
  if (!u) throw new AzureConfigError(`The Azure base URL "${baseUrl}" is not a URL.`);
  const version = apiVersion.trim() || u.searchParams.get('api-version')?.trim() || '';
  const path = u.pathname.replace(/\/+$/, '');
  const origin = u.origin;
  if (/\/openai\/v1$/i.test(path)) return { kind: 'v1', baseUrl: `${origin}${path}`, apiVersion: version };
  const dep = /\/openai\/deployments\/([^/]+)(?:\/chat\/completions)?$/i.exec(path);
  const deployment = dep ? decodeURIComponent(dep[1]) : model;
  if (!dep && path !== '' && !/\/openai$/i.test(path)) {
    throw new AzureConfigError(`The Azure base URL path "${path}" is neither the resource (https://RESOURCE.openai.azure.com), /openai/deployments/NAME nor /openai/v1.`);
  }
  if (!version) {
    throw new AzureConfigError('Azure OpenAI (classic deployments URL) needs an API version: set goalpost.apiVersion / --api-version (e.g. 2024-10-21), or use the v1 API with the base URL https://RESOURCE.openai.azure.com/openai/v1.');
  }
  return { kind: 'classic', endpoint: origin, deployment, apiVersion: version };
}
