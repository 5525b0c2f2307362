// The environment of commands the agent runs (PRODUCT.md F10): a copy of ours without API keys, tokens,
// passwords or the extension's own secrets, plus settings that keep every tool from waiting for a human
// (pagers, editors, credential prompts) or painting colour codes into the output the model reads.

/** Names that carry credentials. */
const SECRET_NAME = /(^|_)(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY|PAT)($|_)|_AUTH$/i;
/** Prefixes of providers whose every variable is sensitive or points at a paid account. */
const SECRET_PREFIX = /^(OPENAI_|AZURE_OPENAI_|AWS_|ANTHROPIC_|GEMINI_|MISTRAL_|GROQ_|COHERE_|VSCODE_GIT_)/i;
/** Helpers that could hand out credentials (VS Code's git askpass bridge among them). */
const SECRET_EXACT = new Set(['GH_TOKEN', 'GITHUB_TOKEN', 'NPM_TOKEN', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GOALPOST_API_KEY']);
/** A URL with a user and password in it (`postgres://me:pw@host/db`). */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Variables that make tools non-interactive and their output plain. */
const NON_INTERACTIVE: Record<string, string> = {
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  MANPAGER: 'cat',
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  EDITOR: 'true',
  VISUAL: 'true',
  GCM_INTERACTIVE: 'never',
  DEBIAN_FRONTEND: 'noninteractive',
  PIP_NO_INPUT: '1',
  NO_COLOR: '1',
  TERM: 'dumb',
};

/** True when the variable `name=value` must not reach an agent command. */
export function isSecretVariable(name: string, value: string, extraSecrets: readonly string[] = []): boolean {
  if (SECRET_NAME.test(name) || SECRET_PREFIX.test(name) || SECRET_EXACT.has(name.toUpperCase())) return true;
  if (URL_WITH_PASSWORD.test(value)) return true;
  return extraSecrets.some((s) => s.length > 0 && (value === s || (s.length >= 8 && value.includes(s))));
}

/** A copy of `base` without secrets, with the non-interactive settings applied. */
export function childEnv(base: NodeJS.ProcessEnv, extraSecrets: readonly string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || isSecretVariable(name, value, extraSecrets)) continue;
    env[name] = value;
  }
  // FORCE_COLOR beats NO_COLOR in many tools, and Node warns when both are set.
  delete env.FORCE_COLOR;
  return { ...env, ...NON_INTERACTIVE };
}
