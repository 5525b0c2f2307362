// The API key lives in SecretStorage only: never in settings, logs, state, transcripts or commits.
import * as vscode from 'vscode';

const KEY = 'goalpost.openaiApiKey';

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(KEY);
  }

  async set(value: string): Promise<void> {
    await this.secrets.store(KEY, value.trim());
  }

  async delete(): Promise<void> {
    await this.secrets.delete(KEY);
  }
}

/** True for base URLs that need no key (a local OpenAI-compatible server). */
export function isLocalBaseUrl(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1' || host.endsWith('.localhost');
  } catch {
    return false;
  }
}
