// The memo behind GoalpostApp.folderGoal: concurrent calls for one folder share one FolderGoal.
import assert from 'node:assert/strict';
import { OncePerKey } from '../../../src/vscode/oncePerKey';

describe('OncePerKey (one FolderGoal per folder)', () => {
  it('makes a value once for concurrent calls with one key, and once per other key', async () => {
    const memo = new OncePerKey<{ key: string }>();
    let made = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const make = (key: string) => async () => {
      made++;
      await gate; // still pending when the second call arrives, like promptLibrary() and load()
      return { key };
    };
    const first = memo.get('file:///a', make('file:///a'));
    const second = memo.get('file:///a', make('file:///a'));
    const other = memo.get('file:///b', make('file:///b'));
    release();
    const [a1, a2, b] = await Promise.all([first, second, other]);
    assert.equal(a1, a2, 'both callers got the same holder');
    assert.notEqual(a1, b);
    assert.equal(made, 2);
    assert.equal(await memo.get('file:///a', make('file:///a')), a1, 'a later call gets it too');
    assert.equal(made, 2);
  });

  it('forgets a failed attempt, so the next call makes the value again', async () => {
    const memo = new OncePerKey<string>();
    await assert.rejects(memo.get('k', () => Promise.reject(new Error('no prompts'))), /no prompts/);
    assert.equal(await memo.get('k', () => Promise.resolve('made')), 'made');
  });
});
