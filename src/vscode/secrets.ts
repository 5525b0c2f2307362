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
