// Where each review note of a commit goes in its diff: on its own line of the modified side when the
// diff shows that line, otherwise on the first line of its file (or of the commit's first file when the
// note names a file the commit did not touch) with the original place named. Pure: no vscode, no I/O.
// Pure (no vscode import), so its strings go through @vscode/l10n, configured in extension.ts.
import * as l10n from '@vscode/l10n';
import type { ReviewNote } from '../../engine/goal';
import { hunkAtLine, type DiffHunk } from './diffHunks';

/** A file the commit changed, as the review needs it. */
export interface ReviewFile {
  /** Relative to the workspace folder, with forward slashes. */
  path: string;
  /** git's name-status letter: A added, M modified, D deleted, T type change. */
  status: 'A' | 'M' | 'D' | 'T';
  hunks: DiffHunk[];
}

/** One note of one review, before placement. */
export interface NoteSource {
  reviewId: string;
  /** The note's position in its review (stable ids for resolved state). */
  index: number;
  verdict: 'approve' | 'request_changes';
  attempt: number | null;
  at: string;
  note: ReviewNote;
}

/** A note with the place it is shown at. */
export interface PlacedNote extends NoteSource {
  /** The changed file the thread is attached to. */
  path: string;
  /** That file's status in the commit (a deleted file's thread sits on the empty new side). */
  fileStatus: ReviewFile['status'];
  /** 1-based line on the modified side. */
  line: number;
  /** True when the note sits on its own line; false when it was moved to the first line. */
  onOwnLine: boolean;
  /** The hunk around the note, when it sits on a changed line. */
  hunk: DiffHunk | null;
  /** Why the note is not on its own line (shown above the message), or null. */
  movedBecause: string | null;
}

/** The note path as the commit's file list spells it (forward slashes, no leading ./). */
export function normalizeNotePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

/** Places every note; notes of a commit that changed no file are dropped (there is nothing to show them on). */
export function placeNotes(sources: readonly NoteSource[], files: readonly ReviewFile[]): PlacedNote[] {
  if (files.length === 0) return [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  // A note about a file the commit did not touch goes on the file the other notes talk about most (the
  // heart of the change), else on the first file that still exists after the commit.
  const mentions = new Map<string, number>();
  for (const s of sources) {
    const p = normalizeNotePath(s.note.path);
    if (byPath.has(p) && byPath.get(p)?.status !== 'D') mentions.set(p, (mentions.get(p) ?? 0) + 1);
  }
  const most = [...mentions.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const fallback = (most ? byPath.get(most) : undefined) ?? files.find((f) => f.status !== 'D') ?? files[0];
  return sources.map((source): PlacedNote => {
    const wanted = normalizeNotePath(source.note.path);
    const file = byPath.get(wanted);
    const line = source.note.line;
    if (!file) {
      return { ...source, path: fallback.path, fileStatus: fallback.status, line: 1, onOwnLine: false, hunk: null, movedBecause: line > 0
        ? l10n.t('About {0}, line {1}, which this commit did not change.', wanted || l10n.t('(no file)'), line)
        : l10n.t('About {0}, which this commit did not change.', wanted || l10n.t('(no file)')) };
    }
    const hunk = file.status === 'D' ? null : hunkAtLine(file.hunks, line);
    if (hunk) return { ...source, path: file.path, fileStatus: file.status, line, onOwnLine: true, hunk, movedBecause: null };
    const why = line < 1
      ? l10n.t('About the whole file.')
      : file.status === 'D'
        ? l10n.t('Originally on line {0}; this commit deleted the file.', line)
        : l10n.t('Originally on line {0}, which is no longer a changed line.', line);
    return { ...source, path: file.path, fileStatus: file.status, line: 1, onOwnLine: false, hunk: null, movedBecause: why };
  });
}
