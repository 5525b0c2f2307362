// The order files are shown in a commit review: the work first, Goalpost's own bookkeeping (BACKLOG.md)
// last, so the diff a reviewer opens starts with source. Pure, so it is tested without an editor.

/** Files Goalpost writes itself in every task commit. */
export function isBookkeeping(path: string, backlogPath = 'BACKLOG.md'): boolean {
  return path === backlogPath || path.split('/').pop() === 'BACKLOG.md';
}

/** `items` with bookkeeping files last, otherwise in their order. */
export function reviewOrder<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
  return [...items.filter((i) => !isBookkeeping(pathOf(i))), ...items.filter((i) => isBookkeeping(pathOf(i)))];
}

/** True when a commit changed only bookkeeping files (it is not reviewed work, and is not labelled as such). */
export function onlyBookkeeping(paths: readonly string[]): boolean {
  return paths.length > 0 && paths.every((p) => isBookkeeping(p));
}
