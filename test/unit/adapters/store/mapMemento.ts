// vscode.Memento over a Map, for running the editor's store outside VS Code. Values are copied
// through JSON, as VS Code's storage does.
import type * as vscode from 'vscode';

export class MapMemento implements vscode.Memento {
  readonly values = new Map<string, string>();
  /** Number of update() calls. */
  updates = 0;
  /** Bytes of JSON written by update() calls. */
  bytes = 0;

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? defaultValue : (JSON.parse(text) as T);
  }

  update(key: string, value: unknown): Thenable<void> {
    this.updates++;
    if (value === undefined) {
      this.values.delete(key);
    } else {
      const text = JSON.stringify(value);
      this.bytes += text.length;
      this.values.set(key, text);
    }
    return Promise.resolve();
  }
}
