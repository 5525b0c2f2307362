// File versions of a commit review, served from git objects under the `goalpost-git:` scheme, so the
// diff editor never needs a temporary file in the workspace. The URI's path is the file's real path (the
// tab shows its name, the language follows its extension); the query names the folder, the ref and the
// path relative to the folder. A null ref is the empty side of an added or deleted file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UserGit } from '../../engine/ports';

/** The scheme of file versions read from git. */
export const REVIEW_SCHEME = 'goalpost-git';

/** What a goalpost-git URI points at. */
export interface GitFileRef {
  /** The workspace folder (absolute). */
  root: string;
  /** A commit sha, or null for the empty side. */
  ref: string | null;
  /** Relative to root, forward slashes. */
  path: string;
  /** The agent commit under review this version belongs to (either side), for "Revert Commit" from the editor title. */
  commit: string | null;
}

/** The URI of `rel` at `ref` in `root` (ref null: the empty side). */
export function gitFileUri(root: string, ref: string | null, rel: string, commit: string | null = null): vscode.Uri {
  const query: GitFileRef = { root, ref, path: rel, commit };
  return vscode.Uri.file(path.join(root, ...rel.split('/'))).with({ scheme: REVIEW_SCHEME, query: JSON.stringify(query) });
}

/** Reads a goalpost-git URI back; throws on a URI this extension did not make. */
export function parseGitFileUri(uri: vscode.Uri): GitFileRef {
  if (uri.scheme !== REVIEW_SCHEME) throw new Error(`Not a ${REVIEW_SCHEME}: URI: ${uri.toString()}`);
  const value: unknown = JSON.parse(uri.query);
  const v = value as Partial<GitFileRef>;
  if (typeof v.root !== 'string' || typeof v.path !== 'string' || (v.ref !== null && typeof v.ref !== 'string')) {
    throw new Error(`Malformed ${REVIEW_SCHEME}: URI: ${uri.toString()}`);
  }
  return { root: v.root, ref: v.ref ?? null, path: v.path, commit: typeof v.commit === 'string' ? v.commit : null };
}

/** Serves goalpost-git URIs; git objects never change, so nothing needs an update event. */
export class GitContentProvider implements vscode.TextDocumentContentProvider {
  /** `gitOf(root)`: the folder's git client (the one its goal uses). */
  constructor(private readonly gitOf: (root: string) => Promise<UserGit>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const file = parseGitFileUri(uri);
    if (file.ref === null) return '';
    return (await (await this.gitOf(file.root)).showFile(file.ref, file.path)) ?? '';
  }
}
