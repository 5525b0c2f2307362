// The webview's link to the extension host: the one acquireVsCodeApi() object, typed, plus the
// panel's own UI state (open sections and tasks), which VS Code keeps across hide/show.
import type { WebviewMessage } from '../src/protocol';

/** What the panel keeps between its webview's lives (never goal data: the host re-sends that). */
export interface PanelUiState {
  /** Section key → open. */
  sections: Record<string, boolean>;
  /** `folder|taskId` of expanded tasks. */
  tasks: string[];
}

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

function loadUiState(): PanelUiState {
  const raw = api.getState() as Partial<PanelUiState> | undefined;
  return { sections: raw?.sections ?? {}, tasks: Array.isArray(raw?.tasks) ? raw.tasks : [] };
}

/** The panel's UI state, loaded once. */
export const uiState: PanelUiState = loadUiState();

/** Saves the UI state (after a section or a task was opened or closed). */
export function saveUiState(): void {
  api.setState(uiState);
}

/** Sends an intent to the host. */
export function send(message: WebviewMessage): void {
  api.postMessage(message);
}
