// What a save checks: the new record must load again, so every part of it that changed since the last
// valid record is parsed with its schema (a changed task with the Task schema, a changed usage block
// with Usage, …) and the unchanged parts, valid before, are not looked at. That is the full Goal
// validation at the cost of the change, so a record the store accepted is never one it cannot load.
import type { z } from 'zod';
import { Goal } from '../../engine/goal';

type Issue = { path: readonly PropertyKey[]; message: string };
type Shape = typeof Goal.shape;
type Key = keyof Shape;

/** Lists whose elements are checked one by one. */
const LISTS = new Set<Key>(['backlog', 'reviews', 'commits', 'iterations']);

/**
 * The schema issues of `next`, checking only what differs from `prev` by reference (all of `next` when
 * there is no `prev`). Unknown keys are not issues: like Goal.parse, a load drops them. An empty list means `next` is a valid goal record.
 */
export function changeIssues(prev: Goal | null, next: Goal): Issue[] {
  if (prev === null) {
    const parsed = Goal.safeParse(next);
    return parsed.success ? [] : parsed.error.issues;
  }
  const issues: Issue[] = [];
  const shape = Goal.shape;
  const record = next as Record<string, unknown>;
  const before = prev as Record<string, unknown>;
  for (const key of Object.keys(shape) as Key[]) {
    const value = record[key];
    const old = before[key];
    if (value === old) continue;
    if (LISTS.has(key) && Array.isArray(value) && Array.isArray(old)) {
      const element = (shape[key] as z.ZodArray<z.ZodType>).element;
      for (let i = 0; i < value.length; i++) {
        if (value[i] === old[i]) continue;
        const parsed = element.safeParse(value[i]);
        if (!parsed.success) issues.push(...parsed.error.issues.map((issue) => ({ ...issue, path: [key, i, ...issue.path] })));
      }
      continue;
    }
    const parsed = shape[key].safeParse(value);
    if (!parsed.success) issues.push(...parsed.error.issues.map((issue) => ({ ...issue, path: [key, ...issue.path] })));
  }
  return issues;
}

export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return issues.length > 3 ? `${shown.join('; ')}; and ${issues.length - 3} more` : shown.join('; ');
}
