import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace, resolveInside } from '../../../../src/adapters/nodeWorkspace';
import { WorkspaceError } from '../../../../src/engine/ports';

function write(root: string, rel: string, content: string | Buffer): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
}

async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof WorkspaceError, `expected a WorkspaceError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('NodeWorkspace', () => {
  let tmp: string;
  let root: string;
  let outside: string;
  let ws: NodeWorkspace;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-ws-')));
    root = path.join(tmp, 'root');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'top secret\n');
    ws = new NodeWorkspace(root);
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('resolveInside', () => {
    it('resolves relative paths inside the root, and "" or "." to the root', async () => {
      assert.equal(await resolveInside(root, 'src/a.ts'), path.join(root, 'src', 'a.ts'));
      assert.equal(await resolveInside(root, ''), root);
      assert.equal(await resolveInside(root, '.'), root);
      assert.equal(await resolveInside(root, 'src/../b.ts'), path.join(root, 'b.ts'));
    });

    it('refuses absolute paths, .. escapes and NUL bytes, naming the path and the rule', async () => {
      await refused(resolveInside(root, '/etc/passwd'), /"\/etc\/passwd" is absolute/);
      await refused(resolveInside(root, '../outside/secret.txt'), /"\.\.\/outside\/secret\.txt" leaves the workspace/);
      await refused(resolveInside(root, 'a/../../x'), /leaves the workspace/);
      await refused(resolveInside(root, 'a\0b'), /NUL byte/);
      await refused(resolveInside(root, '~/.ssh/id_rsa'), /home folder/);
    });

    it('refuses .git and anything under it, in any case', async () => {
      fs.mkdirSync(path.join(root, '.git'));
      for (const p of ['.git', '.git/config', '.GIT/HEAD', 'sub/.Git/hooks/pre-commit', './.git/']) {
        await refused(resolveInside(root, p), /inside \.git\//);
      }
      assert.equal(await resolveInside(root, '.gitignore'), path.join(root, '.gitignore'));
      assert.equal(await resolveInside(root, '.github/workflows/ci.yml'), path.join(root, '.github/workflows/ci.yml'));
    });

    it('refuses symlinks leading out, for existing files, new files under a linked folder, and dangling links', async () => {
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
      fs.symlinkSync(outside, path.join(root, 'linkdir'));
      fs.symlinkSync(path.join(outside, 'not-yet'), path.join(root, 'dangling'));
      await refused(resolveInside(root, 'link.txt'), /symbolic link/);
      await refused(resolveInside(root, 'linkdir/secret.txt'), /symbolic link/);
      await refused(resolveInside(root, 'linkdir/new/deeper.txt'), /symbolic link/);
      await refused(resolveInside(root, 'dangling/file.txt'), /symbolic link/);
    });

    it('allows symlinks that stay inside, but not into .git', async () => {
      write(root, 'real/a.txt', 'a');
      fs.mkdirSync(path.join(root, '.git'));
      fs.symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
      fs.symlinkSync(path.join(root, '.git'), path.join(root, 'sneaky'));
      assert.equal(await resolveInside(root, 'alias/a.txt'), path.join(root, 'alias', 'a.txt'));
      await refused(resolveInside(root, 'sneaky/config'), /inside \.git\//);
    });
  });

  describe('file operations refuse escapes', () => {
    it('read, write and delete through a symlink out all fail and touch nothing outside', async () => {
      fs.symlinkSync(outside, path.join(root, 'linkdir'));
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
      await refused(ws.readFile('linkdir/secret.txt'), /symbolic link/);
      await refused(ws.readText('link.txt'), /symbolic link/);
      await refused(ws.writeFile('linkdir/evil.txt', 'x'), /symbolic link/);
      await refused(ws.writeFile('link.txt', 'x'), /symbolic link/);
      await refused(ws.deleteFile('link.txt'), /symbolic link/);
      await refused(ws.writeFile('../outside/evil.txt', 'x'), /leaves the workspace/);
      assert.deepEqual(fs.readdirSync(outside), ['secret.txt']);
      assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'top secret\n');
    });
  });

  describe('readFile', () => {
    it('reads 1-based inclusive ranges and reports the total', async () => {
      write(root, 'a.txt', 'one\ntwo\nthree\nfour\n');
      assert.deepEqual(await ws.readFile('a.txt'), { text: 'one\ntwo\nthree\nfour', startLine: 1, endLine: 4, totalLines: 4, truncated: false });
      assert.deepEqual(await ws.readFile('a.txt', { startLine: 2, endLine: 3 }), { text: 'two\nthree', startLine: 2, endLine: 3, totalLines: 4, truncated: false });
      assert.deepEqual(await ws.readFile('a.txt', { startLine: 4, endLine: 99 }), { text: 'four', startLine: 4, endLine: 4, totalLines: 4, truncated: false });
    });

    it('counts a last line without a newline, and reads an empty file', async () => {
      write(root, 'b.txt', 'x\ny');
      assert.equal((await ws.readFile('b.txt')).totalLines, 2);
      assert.equal((await ws.readFile('b.txt', { startLine: 2 })).text, 'y');
      write(root, 'empty.txt', '');
      assert.deepEqual(await ws.readFile('empty.txt'), { text: '', startLine: 1, endLine: 0, totalLines: 0, truncated: false });
    });

    it('refuses a start past the end, a reversed range, folders, missing and binary files', async () => {
      write(root, 'a.txt', 'one\ntwo\n');
      write(root, 'img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
      await refused(ws.readFile('a.txt', { startLine: 5 }), /start_line 5 is past the end of a\.txt, which has 2 lines/);
      await refused(ws.readFile('a.txt', { startLine: 2, endLine: 1 }), /before start_line/);
      await refused(ws.readFile('.'), /is a folder/);
      await refused(ws.readFile('nope.txt'), /does not exist/);
      await refused(ws.readFile('img.png'), /binary file/);
    });

    it('cuts a slice at 2,000 lines and marks it truncated', async () => {
      write(root, 'long.txt', Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n'));
      const first = await ws.readFile('long.txt');
      assert.equal(first.startLine, 1);
      assert.equal(first.endLine, 2000);
      assert.equal(first.totalLines, 5000);
      assert.equal(first.truncated, true);
      assert.equal(first.text.split('\n').length, 2000);
      const next = await ws.readFile('long.txt', { startLine: 4001 });
      assert.deepEqual([next.startLine, next.endLine, next.truncated], [4001, 5000, false]);
      assert.equal(next.text.split('\n')[0], 'line 4001');
    });

    it('cuts a slice at 200 KB on a line boundary, and returns the head of one huge line', async () => {
      const line = 'x'.repeat(999);
      write(root, 'wide.txt', Array.from({ length: 1000 }, () => line).join('\n'));
      const slice = await ws.readFile('wide.txt');
      assert.equal(slice.truncated, true);
      assert.ok(slice.endLine < 1000 && slice.endLine >= 190, `endLine ${slice.endLine}`);
      assert.equal(slice.text.split('\n').length, slice.endLine);
      assert.ok(slice.text.split('\n').every((l) => l === line));
      write(root, 'minified.js', 'y'.repeat(600 * 1024));
      const huge = await ws.readFile('minified.js');
      assert.deepEqual([huge.endLine, huge.totalLines, huge.truncated, huge.text.length], [1, 1, true, 200 * 1024]);
    });

    it('reads a range near the end of a 50 MB file without loading it whole', async () => {
      const abs = path.join(root, 'big.log');
      const fd = fs.openSync(abs, 'w');
      const block = Array.from({ length: 10000 }, (_, i) => `entry ${String(i).padStart(5, '0')} ${'.'.repeat(100)}`).join('\n') + '\n';
      for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
      fs.closeSync(fd);
      assert.ok(fs.statSync(abs).size >= 50 * 1000 * 1000);
      const before = process.memoryUsage().rss;
      const slice = await ws.readFile('big.log', { startLine: 499_998, endLine: 500_000 });
      const grown = process.memoryUsage().rss - before;
      assert.equal(slice.totalLines, 500_000);
      assert.deepEqual(slice.text.split('\n').map((l) => l.slice(0, 11)), ['entry 09997', 'entry 09998', 'entry 09999']);
      assert.ok(grown < 40 * 1024 * 1024, `memory grew by ${grown} bytes`);
    });
  });

  describe('readText', () => {
    it('returns the whole file, or null when missing, and refuses files over the cap', async () => {
      write(root, 'BACKLOG.md', '# Backlog\n');
      assert.equal(await ws.readText('BACKLOG.md'), '# Backlog\n');
      assert.equal(await ws.readText('missing.md'), null);
      const small = new NodeWorkspace(root, { maxTextBytes: 10 });
      write(root, 'big.md', 'x'.repeat(11));
      await refused(small.readText('big.md'), /more than the/);
    });
  });

  describe('writeFile and deleteFile', () => {
    it('writes atomically, creating parents, and leaves no temp file', async () => {
      await ws.writeFile('deep/er/file.txt', 'hello');
      assert.equal(fs.readFileSync(path.join(root, 'deep/er/file.txt'), 'utf8'), 'hello');
      await ws.writeFile('deep/er/file.txt', 'again');
      assert.equal(fs.readFileSync(path.join(root, 'deep/er/file.txt'), 'utf8'), 'again');
      assert.deepEqual(fs.readdirSync(path.join(root, 'deep/er')), ['file.txt']);
    });

    it('keeps the mode of an existing file (an executable script stays executable)', async () => {
      write(root, 'run.sh', '#!/bin/sh\n');
      fs.chmodSync(path.join(root, 'run.sh'), 0o755);
      await ws.writeFile('run.sh', '#!/bin/sh\necho hi\n');
      assert.equal(fs.statSync(path.join(root, 'run.sh')).mode & 0o777, 0o755);
    });

    it('refuses to write over a folder or under a file', async () => {
      fs.mkdirSync(path.join(root, 'dir'));
      write(root, 'file.txt', 'x');
      await refused(ws.writeFile('dir', 'x'), /is a folder/);
      await refused(ws.writeFile('file.txt/child.txt', 'x'), /Cannot create the folder/);
    });

    it('appends to a file, creating it and its folders, and refuses links, folders and paths outside', async () => {
      await ws.appendText('.goalpost/base.journal', 'one\n');
      await ws.appendText('.goalpost/base.journal', 'two\n');
      assert.equal(fs.readFileSync(path.join(root, '.goalpost', 'base.journal'), 'utf8'), 'one\ntwo\n');
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'linked.journal'));
      await refused(ws.appendText('linked.journal', 'x'), /not a regular file|outside/);
      fs.mkdirSync(path.join(root, 'dir'));
      await refused(ws.appendText('dir', 'x'), /not a regular file/);
      await refused(ws.appendText('../outside/secret.txt', 'x'), /outside|\.\./);
      assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'top secret\n', 'nothing outside changed');
    });

    it('deletes files only', async () => {
      write(root, 'gone.txt', 'x');
      fs.mkdirSync(path.join(root, 'dir'));
      await ws.deleteFile('gone.txt');
      assert.equal(fs.existsSync(path.join(root, 'gone.txt')), false);
      await refused(ws.deleteFile('dir'), /is a folder; delete_file removes files only/);
      await refused(ws.deleteFile('gone.txt'), /does not exist/);
      assert.ok(fs.existsSync(path.join(root, 'dir')));
    });
  });

  // The listing every Workspace shares (root and nested .gitignore, never .git or .goalpost, the order, a
  // subfolder or a file asked for) is asserted on NodeWorkspace by ../workspaceContract.test.ts; here only
  // what is NodeWorkspace's own.
  describe('listFiles', () => {
    beforeEach(() => {
      write(root, '.gitignore', 'node_modules/\n');
      write(root, 'src/a.ts', '');
      write(root, 'node_modules/pkg/index.js', '');
      write(root, '.git/config', '');
      write(root, 'README.md', '');
    });

    it('honours .git/info/exclude', async () => {
      write(root, '.git/info/exclude', 'README.md\n');
      const { entries } = await ws.listFiles('');
      assert.ok(!entries.some((e) => e.path === 'README.md'));
      assert.ok(entries.some((e) => e.path === 'src/a.ts'));
    });

    it('lists a folder inside an ignored folder asked for by name, and refuses .git reached through ..', async () => {
      assert.deepEqual((await ws.listFiles('node_modules/pkg')).entries, [{ path: 'node_modules/pkg/index.js', type: 'file' }]);
      await refused(ws.listFiles('.goalpost/../.git'), /inside \.git/);
    });

    it('caps the listing and says so', async () => {
      for (let i = 0; i < 30; i++) write(root, `many/f${String(i).padStart(2, '0')}.txt`, '');
      const capped = new NodeWorkspace(root, { maxListEntries: 10 });
      const { entries, truncated } = await capped.listFiles('many');
      assert.equal(entries.length, 10);
      assert.equal(truncated, true);
      assert.equal(entries[0].path, 'many/f00.txt');
    });
  });

  describe('searchText', () => {
    it('finds literal, case-sensitive matches in non-ignored text files with line numbers', async () => {
      write(root, '.gitignore', 'dist/\n');
      write(root, 'src/a.ts', 'const a = 1;\n// TODO(me): fix a.b\nTODO later\n');
      write(root, 'src/b.ts', 'todo lowercase\n');
      write(root, 'dist/a.js', 'TODO(me): built\n');
      write(root, 'bin.dat', Buffer.concat([Buffer.from('TODO(me)'), Buffer.from([0, 1, 2])]));
      const { matches, truncated } = await ws.searchText('TODO(me)');
      assert.equal(truncated, false);
      assert.deepEqual(matches, [{ path: 'src/a.ts', line: 2, text: '// TODO(me): fix a.b' }]);
      assert.deepEqual((await ws.searchText('a.b', 'src')).matches.map((m) => m.line), [2]);
      assert.deepEqual((await ws.searchText('TODO', 'src/a.ts')).matches.map((m) => m.line), [2, 3]);
    });

    it('skips files over 1 MB, trims long lines to about 300 characters, and caps the matches', async () => {
      write(root, 'huge.txt', `needle\n${'z'.repeat(1024 * 1024)}`);
      write(root, 'wide.txt', `${'a'.repeat(1000)}needle${'b'.repeat(1000)}\n`);
      const { matches } = await ws.searchText('needle');
      assert.deepEqual(matches.map((m) => m.path), ['wide.txt']);
      assert.ok(matches[0].text.length <= 302 && matches[0].text.includes('needle'), matches[0].text);
      write(root, 'many.txt', Array.from({ length: 50 }, () => 'hit').join('\n'));
      const capped = new NodeWorkspace(root, { maxMatches: 20 });
      const result = await capped.searchText('hit', 'many.txt');
      assert.equal(result.matches.length, 20);
      assert.equal(result.truncated, true);
    });

    it('refuses an empty query and paths outside', async () => {
      await refused(ws.searchText(''), /empty/);
      await refused(ws.searchText('x', '../outside'), /leaves the workspace/);
    });
  });
});
