// The host's check of every message the webview sends. The protocol's schemas are zod/mini (the webview
// bundles them and needs no locales); here, on the host, full zod supplies the English messages, so a
// rejected message is logged with what was wrong with it, not a bare "Invalid input". Pure: no vscode.
import * as z from 'zod';
import { WebviewMessage } from '../protocol';

// An explicit locale, not the one full zod registers when its first schema is built: this check must
// not depend on which module happened to build a schema first.
z.config(z.locales.en());

export type WebviewInput = { ok: true; message: WebviewMessage } | { ok: false; error: string };

/** Validates one message from the webview; `error` names each wrong field and why. */
export function parseWebviewMessage(raw: unknown): WebviewInput {
  const parsed = WebviewMessage.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, error: z.prettifyError(parsed.error).replace(/\n/g, ' ') };
}
