// Secrets must never reach transcripts, logs or commits (PRODUCT.md F9): known secrets are replaced
// verbatim, and anything shaped like a key is replaced even when nobody told us about it.

/** The text every redacted secret becomes. */
export const REDACTED = '[REDACTED]';

// Shorter "secrets" would blank out ordinary words; real keys are far longer.
const MIN_SECRET_LENGTH = 6;

const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI-style keys (sk-…, sk-proj-…)
  /\bsk-[A-Za-z0-9_-]*\*{3,}[A-Za-z0-9_*-]*/g, // a key a server echoes masked (sk-proj-****abcd): its tail still names it
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
];
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

/** Replaces each given secret, and anything that looks like an API key or Bearer token, with [REDACTED]. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const known = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(REDACTED);
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
  return out.replace(BEARER, (_m, prefix: string) => `${prefix}${REDACTED}`);
}
