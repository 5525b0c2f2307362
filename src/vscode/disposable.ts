// A Disposable base with `register`, so owners dispose what they create in one place.
import type * as vscode from 'vscode';

export class DisposableStore implements vscode.Disposable {
  private readonly items: vscode.Disposable[] = [];

  register<T extends vscode.Disposable>(item: T): T {
    this.items.push(item);
    return item;
  }

  dispose(): void {
    while (this.items.length > 0) {
      try {
        this.items.pop()?.dispose();
      } catch {
        // one failing disposable must not keep the others alive
      }
    }
  }
}
