// The Model port for the editor: the key (SecretStorage) and base URL (settings) are read for every
// request, so setting a key or switching to a local server applies without a restart. They are read for
// the goal's folder, as the engine's settings are, so one folder of a multi-root workspace reads what the
// engine of that folder reads.
import * as vscode from 'vscode';
import { OpenAIModel } from '../adapters/openaiModel';
import type { Model, ModelRequest, ModelResponse, ModelStream } from '../engine/ports';
import type { ApiKeyStore } from './secrets';
import { readBaseUrl, readSettings } from './config';

export class EditorModel implements Model {
  constructor(
    private readonly keys: Pick<ApiKeyStore, 'get'>,
    private readonly folder: vscode.Uri,
    private readonly onRetry?: (message: string) => void,
  ) {}

  /** The client of the last endpoint, kept so what it learned (refused fields, real window) lasts. */
  private cached: { key: string; model: OpenAIModel } | null = null;

  async complete(request: ModelRequest, signal?: AbortSignal, stream?: ModelStream): Promise<ModelResponse> {
    const apiKey = (await this.keys.get()) || undefined;
    const baseUrl = readBaseUrl(this.folder) || undefined;
    const settings = readSettings(this.folder);
    const options = {
      apiKey,
      baseUrl,
      provider: settings.provider,
      apiVersion: settings.apiVersion,
      model: settings.model,
      idleTimeoutMs: settings.requestIdleTimeoutSeconds * 1000,
    };
    const key = JSON.stringify(options);
    if (this.cached?.key !== key) {
      const model = new OpenAIModel({
        ...options,
        env: process.env,
        onRetry: (info) => this.onRetry?.(`model request failed (${info.error.message}); retry ${info.attempt + 1} in ${(info.delayMs / 1000).toFixed(1)} s`),
      });
      this.cached = { key, model };
    }
    return this.cached.model.complete(request, signal, stream);
  }
}
