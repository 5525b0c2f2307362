// What changed between two versions of a record, found by reference: the engine updates the goal
// immutably (spread copies along the changed path, untouched tasks, reviews and attempts keep their
// identity), so comparing references walks only the changed path and never serializes the whole
// record. The changes are a list of small operations a journal line can carry and a load can replay.

/** A key on the way into the record: an object key or an array index. */
export type PathKey = string | number;

/**
 * One change: `['s', path, value]` sets the value at `path` (creating an array element past the end),
 * `['d', path]` deletes an object key, `['t', path, length]` truncates the array at `path`.
 */
export type RecordOp = ['s', PathKey[], unknown] | ['d', PathKey[]] | ['t', PathKey[], number];

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An element that names itself (`id`): a different id at the same index is a different element. */
function sameIdentity(a: unknown, b: unknown): boolean {
  if (!isPlain(a) || !isPlain(b)) return true;
  return a.id === b.id;
}

/**
 * The operations that turn `prev` into `next`. Subtrees that are the same object are skipped without
 * being looked into, so the cost is that of the changed parts. `skip` names top-level keys left out
 * (the journal line carries the revision itself).
 */
export function diffRecord(prev: Plain, next: Plain, skip: ReadonlySet<string> = new Set()): RecordOp[] {
  const ops: RecordOp[] = [];
  for (const key of Object.keys(next)) {
    if (skip.has(key)) continue;
    if (!(key in prev)) {
      if (next[key] !== undefined) ops.push(['s', [key], next[key]]);
    } else {
      diffValue(prev[key], next[key], [key], ops);
    }
  }
  for (const key of Object.keys(prev)) if (!skip.has(key) && !(key in next)) ops.push(['d', [key]]);
  return ops;
}

function diffValue(prev: unknown, next: unknown, path: PathKey[], ops: RecordOp[]): void {
  if (prev === next || Object.is(prev, next)) return;
  if (next === undefined) {
    ops.push(['d', path]);
    return;
  }
  if (Array.isArray(prev) && Array.isArray(next)) {
    const common = Math.min(prev.length, next.length);
    for (let i = 0; i < common; i++) {
      const a: unknown = prev[i];
      const b: unknown = next[i];
      if (a === b) continue;
      // A reordered or replaced element is written whole rather than as a diff against a stranger.
      if (sameIdentity(a, b)) diffValue(a, b, [...path, i], ops);
      else ops.push(['s', [...path, i], b]);
    }
    for (let i = common; i < next.length; i++) ops.push(['s', [...path, i], next[i]]);
    if (next.length < prev.length) ops.push(['t', path, next.length]);
    return;
  }
  if (isPlain(prev) && isPlain(next)) {
    for (const key of Object.keys(next)) {
      if (!(key in prev)) {
        if (next[key] !== undefined) ops.push(['s', [...path, key], next[key]]);
      } else {
        diffValue(prev[key], next[key], [...path, key], ops);
      }
    }
    for (const key of Object.keys(prev)) if (!(key in next)) ops.push(['d', [...path, key]]);
    return;
  }
  ops.push(['s', path, next]);
}

/** Why a list of operations could not be applied (a journal that does not belong to its snapshot). */
export class ReplayError extends Error {}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Applies `ops` to `target` in place (a freshly parsed record that nobody else holds). Throws
 * ReplayError when a path does not lead anywhere, so a mismatched journal is refused, not half-applied
 * silently.
 */
export function applyOps(target: Plain, ops: readonly RecordOp[]): void {
  for (const op of ops) {
    const path = op[1];
    if (path.length === 0) throw new ReplayError('an operation has an empty path');
    let node: unknown = target;
    for (let i = 0; i < path.length - 1; i++) node = child(node, path[i], path);
    const last = path[path.length - 1];
    checkKey(node, last, path);
    const container = node as Record<PathKey, unknown>;
    if (op[0] === 's') {
      if (Array.isArray(container) && (typeof last !== 'number' || last > container.length)) {
        throw new ReplayError(`${describe(path)} is past the end of its list`);
      }
      container[last] = op[2];
    } else if (op[0] === 'd') {
      if (Array.isArray(container)) throw new ReplayError(`${describe(path)} deletes from a list`);
      delete container[last];
    } else {
      const list = container[last];
      if (!Array.isArray(list) || op[2] > list.length) throw new ReplayError(`${describe(path)} is not a list that long`);
      list.length = op[2];
    }
  }
}

function child(node: unknown, key: PathKey, path: PathKey[]): unknown {
  checkKey(node, key, path);
  const value = (node as Record<PathKey, unknown>)[key];
  if (typeof value !== 'object' || value === null) throw new ReplayError(`${describe(path)} leads through a missing value`);
  return value;
}

function checkKey(node: unknown, key: PathKey, path: PathKey[]): void {
  if (typeof node !== 'object' || node === null) throw new ReplayError(`${describe(path)} leads through a missing value`);
  if (Array.isArray(node) ? typeof key !== 'number' || !Number.isInteger(key) || key < 0 : typeof key !== 'string' || FORBIDDEN.has(key)) {
    throw new ReplayError(`${describe(path)} has a key that does not fit its container`);
  }
}

function describe(path: PathKey[]): string {
  return path.map(String).join('.');
}

/**
 * Freezes `value` and everything inside it that is not frozen yet, and stops at frozen subtrees: after
 * the first save only the changed path is new, so this costs O(change). A frozen record is what makes
 * comparing by reference safe: code that changed a saved record in place would throw, not slip past
 * the diff. `prev`, the record stored before (frozen throughout, as everything this froze), makes the
 * walk cheaper still: a part that is the same object as prev's part at the same place is frozen, which a
 * comparison of references tells without asking Object.isFrozen of each of thousands of tasks.
 */
export function freezeNew<T>(value: T, prev?: unknown): T {
  const before = typeof prev === 'object' && prev !== null && Object.isFrozen(prev) ? prev : undefined;
  freezeAgainst(value, before);
  return value;
}

/** freezeNew with `prev` frozen throughout, or undefined. */
function freezeAgainst(value: unknown, prev: unknown): void {
  if (typeof value !== 'object' || value === null || value === prev || Object.isFrozen(value)) return;
  Object.freeze(value);
  const old = typeof prev === 'object' && prev !== null ? (prev as Record<PathKey, unknown>) : undefined;
  if (Array.isArray(value)) {
    const list = Array.isArray(old) ? (old as unknown[]) : undefined;
    // By index: Object.keys of a list of thousands of tasks would make a string per element.
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (list === undefined || i >= list.length || item !== list[i]) freezeAgainst(item, list?.[i]);
    }
  } else {
    for (const key of Object.keys(value)) freezeAgainst((value as Record<string, unknown>)[key], old !== undefined && !Array.isArray(old) ? old[key] : undefined);
  }
}
