// One value per key, made by an async function at most once even when callers ask at the same time
// (pure, so it is tested without an editor). The extension keeps one FolderGoal per folder with it: two
// calls for one folder before the first finished (both sides of a diff restored after a reload) used to
// build two FolderGoals, with two controllers and two runners for one goal.

/** Shares the pending promise per key; a failed attempt is forgotten, so the next call tries again. */
export class OncePerKey<V> {
  private readonly pending = new Map<string, Promise<V>>();

  get(key: string, make: () => Promise<V>): Promise<V> {
    let value = this.pending.get(key);
    if (!value) {
      value = make();
      this.pending.set(key, value);
      value.catch(() => {
        if (this.pending.get(key) === value) this.pending.delete(key);
      });
    }
    return value;
  }
}
