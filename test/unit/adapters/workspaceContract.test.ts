// One contract for every Workspace: the fake the loop tests run on (MemoryWorkspace) and the real one
// (NodeWorkspace on disk) answer these the same way — above all the path rules of PRODUCT.md F10 (no
// absolute paths, no `..` out, no symbolic link out, nothing under .git/) — so a loop test on the fake
// proves something about the product. Details only the real one has (binary files, byte caps, modes)
// stay in node/nodeWorkspace.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace } from '../../../src/adapters/nodeWorkspace';
import { WorkspaceError, type Workspace } from '../../../src/engine/ports';
import { MemoryWorkspace } from '../../support/fakes/memoryWorkspace';

interface Subject {
  ws: Workspace;
  /** Puts a file as the user would, not through the port (also under .git/). */
  put(rel: string, text: string): void;
  /** The file's text, or undefined when there is none (read beside the port). */
  read(rel: string): string | undefined;
  /** A symbolic link at `rel` leading out: to the outside folder, to its secret.txt, or to a path there that does not exist. */
  linkOut(rel: string, to: 'dir' | 'file' | 'dangling'): void;
  /** A symbolic link at `rel` to `target`, relative to the root. */
  linkIn(rel: string, target: string): void;
  /** What the folder outside the workspace holds now. */
  outside(): Record<string, string>;
}

const SECRET = { 'secret.txt': 'top secret\n' };

const SUBJECTS: Record<string, (tmp: string) => Subject> = {
  MemoryWorkspace: () => {
    const ws = new MemoryWorkspace();
    return {
      ws,
      put: (rel, text) => void ws.files.set(rel, text),
      read: (rel) => ws.files.get(rel),
      linkOut: (rel, to) => ws.linkOut(rel, { dir: '/outside', file: '/outside/secret.txt', dangling: '/outside/not-yet' }[to]),
      linkIn: (rel, target) => void ws.links.set(rel, { inside: target }),
      // Nothing outside exists for the fake; the real subject proves the folder is untouched.
      outside: () => ({ ...SECRET }),
    };
  },
  NodeWorkspace: (tmp) => {
    const root = path.join(tmp, 'root');
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET['secret.txt']);
    return {
      ws: new NodeWorkspace(root),
      put: (rel, text) => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      },
      read: (rel) => (fs.existsSync(path.join(root, rel)) && fs.statSync(path.join(root, rel)).isFile() ? fs.readFileSync(path.join(root, rel), 'utf8') : undefined),
      linkOut: (rel, to) => fs.symlinkSync({ dir: outside, file: path.join(outside, 'secret.txt'), dangling: path.join(outside, 'not-yet') }[to], path.join(root, rel)),
      linkIn: (rel, target) => fs.symlinkSync(path.join(root, target), path.join(root, rel)),
      outside: () => Object.fromEntries(fs.readdirSync(outside).map((f) => [f, fs.readFileSync(path.join(outside, f), 'utf8')])),
    };
  },
};

async function refused(promise: Promise<unknown>, pattern: RegExp, what = ''): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof WorkspaceError, `${what}: expected a WorkspaceError, got ${String(err)}`);
    assert.match(err.message, pattern, what);
    return true;
  });
}

for (const [name, make] of Object.entries(SUBJECTS)) {
  describe(`Workspace contract: ${name}`, () => {
    let tmp: string;
    let s: Subject;
    beforeEach(() => {
      tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-ws-contract-')));
      s = make(tmp);
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe('path rules', () => {
      /** Every operation of the port on `p`, each of which must be refused. */
      const everyOperation = (p: string): [string, () => Promise<unknown>][] => [
        ['readFile', () => s.ws.readFile(p)],
        ['readText', () => s.ws.readText(p)],
        ['writeFile', () => s.ws.writeFile(p, 'x')],
        ['appendText', () => s.ws.appendText(p, 'x')],
        ['deleteFile', () => s.ws.deleteFile(p)],
        ['listFiles', () => s.ws.listFiles(p)],
        ['searchText', () => s.ws.searchText('x', p)],
        ['moveFile from', () => s.ws.moveFile(p, 'moved.txt')],
        ['moveFile to', () => s.ws.moveFile('a.txt', p)],
      ];

      it('refuses absolute paths, the home folder, NUL bytes and ".." out, for every operation, naming the rule', async () => {
        s.put('a.txt', 'a\n');
        const cases: [string, RegExp][] = [
          ['/etc/passwd', /is absolute/],
          ['C:\\Windows\\x', /is absolute/],
          ['~', /home folder/],
          ['~/.ssh/id_rsa', /home folder/],
          ['a\0b', /NUL byte/],
          ['..', /leaves the workspace/],
          ['../outside/secret.txt', /leaves the workspace/],
          ['a/../../x', /leaves the workspace/],
        ];
        for (const [p, rule] of cases) {
          for (const [op, run] of everyOperation(p)) await refused(run(), rule, `${op}(${JSON.stringify(p)})`);
        }
        assert.equal(s.read('a.txt'), 'a\n', 'nothing was moved or changed');
        assert.equal(s.read('moved.txt'), undefined);
        assert.deepEqual(s.outside(), SECRET);
      });

      it('refuses .git and anything under it in any case and at any depth; .gitignore and .github are ordinary', async () => {
        s.put('a.txt', 'a\n');
        s.put('.git/config', '[core]\n');
        for (const p of ['.git', '.git/config', '.GIT/HEAD', 'sub/.Git/hooks/pre-commit', './.git/', 'x/../.git/config']) {
          for (const [op, run] of everyOperation(p)) await refused(run(), /inside \.git\//, `${op}(${JSON.stringify(p)})`);
        }
        assert.equal(s.read('.git/config'), '[core]\n');
        await s.ws.writeFile('.gitignore', 'dist/\n');
        await s.ws.writeFile('.github/workflows/ci.yml', 'on: push\n');
        assert.equal(await s.ws.readText('.github/workflows/ci.yml'), 'on: push\n');
      });

      it('normalises "." and ".." that stay inside; "~name" is an ordinary file name', async () => {
        await s.ws.writeFile('a/./c/../b.txt', 'b\n');
        assert.equal(s.read('a/b.txt'), 'b\n');
        assert.equal(await s.ws.readText('./a//b.txt'), 'b\n');
        await s.ws.writeFile('~notes.txt', 'mine\n');
        assert.equal(s.read('~notes.txt'), 'mine\n');
      });

      it('refuses symbolic links that lead out: to a file, to a folder, a new file under it, a dangling one; outside stays untouched', async () => {
        s.linkOut('link.txt', 'file');
        s.linkOut('linkdir', 'dir');
        s.linkOut('dangling', 'dangling');
        await refused(s.ws.readFile('link.txt'), /symbolic link/, 'readFile link.txt');
        await refused(s.ws.readText('link.txt'), /symbolic link/, 'readText link.txt');
        await refused(s.ws.readFile('linkdir/secret.txt'), /symbolic link/, 'readFile linkdir/secret.txt');
        await refused(s.ws.writeFile('link.txt', 'x'), /symbolic link/, 'writeFile link.txt');
        await refused(s.ws.writeFile('linkdir/evil.txt', 'x'), /symbolic link/, 'writeFile linkdir/evil.txt');
        await refused(s.ws.writeFile('linkdir/new/deeper.txt', 'x'), /symbolic link/, 'writeFile under a linked folder');
        await refused(s.ws.writeFile('dangling/file.txt', 'x'), /symbolic link/, 'writeFile through a dangling link');
        await refused(s.ws.deleteFile('link.txt'), /symbolic link/, 'deleteFile link.txt');
        await refused(s.ws.listFiles('linkdir'), /symbolic link/, 'listFiles linkdir');
        await refused(s.ws.searchText('secret', 'linkdir'), /symbolic link/, 'searchText linkdir');
        await refused(s.ws.moveFile('linkdir/secret.txt', 'stolen.txt'), /symbolic link/, 'moveFile out of a linked folder');
        assert.deepEqual(s.outside(), SECRET);
        assert.equal(s.read('stolen.txt'), undefined);
      });

      it('follows symbolic links that stay inside, but not into .git', async () => {
        s.put('real/a.txt', 'a\n');
        s.put('.git/config', '[core]\n');
        s.linkIn('alias', 'real');
        s.linkIn('sneaky', '.git');
        assert.equal(await s.ws.readText('alias/a.txt'), 'a\n');
        await s.ws.writeFile('alias/b.txt', 'b\n');
        assert.equal(s.read('real/b.txt'), 'b\n', 'a write through the link lands in its target');
        await refused(s.ws.readFile('sneaky/config'), /inside \.git\//);
        await refused(s.ws.writeFile('sneaky/hooks/pre-commit', 'x'), /inside \.git\//);
      });
    });

    describe('files', () => {
      it('reads 1-based inclusive line ranges, reporting the total', async () => {
        s.put('a.txt', 'one\ntwo\nthree\nfour\n');
        s.put('b.txt', 'x\ny');
        s.put('empty.txt', '');
        assert.deepEqual(await s.ws.readFile('a.txt'), { text: 'one\ntwo\nthree\nfour', startLine: 1, endLine: 4, totalLines: 4, truncated: false });
        assert.deepEqual(await s.ws.readFile('a.txt', { startLine: 2, endLine: 3 }), { text: 'two\nthree', startLine: 2, endLine: 3, totalLines: 4, truncated: false });
        assert.deepEqual(await s.ws.readFile('a.txt', { startLine: 4, endLine: 99 }), { text: 'four', startLine: 4, endLine: 4, totalLines: 4, truncated: false });
        assert.deepEqual(await s.ws.readFile('b.txt', { startLine: 2 }), { text: 'y', startLine: 2, endLine: 2, totalLines: 2, truncated: false });
        assert.deepEqual(await s.ws.readFile('empty.txt'), { text: '', startLine: 1, endLine: 0, totalLines: 0, truncated: false });
      });

      it('cuts a slice at 2,000 lines and says so, with or without an end line', async () => {
        s.put('long.txt', Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n'));
        const first = await s.ws.readFile('long.txt');
        assert.deepEqual([first.startLine, first.endLine, first.totalLines, first.truncated], [1, 2000, 5000, true]);
        const asked = await s.ws.readFile('long.txt', { startLine: 10, endLine: 4000 });
        assert.deepEqual([asked.endLine, asked.truncated], [2009, true]);
        const last = await s.ws.readFile('long.txt', { startLine: 4001 });
        assert.deepEqual([last.startLine, last.endLine, last.truncated, last.text.split('\n')[0]], [4001, 5000, false, 'line 4001']);
      });

      it('refuses a start past the end, a reversed range, a start below 1, a folder and a missing file', async () => {
        s.put('a.txt', 'one\ntwo\n');
        s.put('dir/x.txt', 'x\n');
        await refused(s.ws.readFile('a.txt', { startLine: 5 }), /start_line 5 is past the end of a\.txt, which has 2 lines/);
        await refused(s.ws.readFile('a.txt', { startLine: 2, endLine: 1 }), /before start_line/);
        await refused(s.ws.readFile('a.txt', { startLine: 0 }), /start_line must be 1 or more/);
        await refused(s.ws.readFile('dir'), /is a folder/);
        await refused(s.ws.readFile('.'), /is a folder/);
        await refused(s.ws.readFile('nope.txt'), /"nope\.txt" does not exist/);
      });

      it('readText returns the whole file, null when missing, and refuses a folder', async () => {
        s.put('BACKLOG.md', '# Backlog\n');
        s.put('dir/x.txt', 'x\n');
        assert.equal(await s.ws.readText('BACKLOG.md'), '# Backlog\n');
        assert.equal(await s.ws.readText('missing.md'), null);
        await refused(s.ws.readText('dir'), /not a regular file/);
      });

      it('writes files, creating their folders, and refuses the root, a folder and a path under a file', async () => {
        await s.ws.writeFile('deep/er/file.txt', 'hello');
        await s.ws.writeFile('deep/er/file.txt', 'again');
        assert.equal(s.read('deep/er/file.txt'), 'again');
        s.put('file.txt', 'x');
        await refused(s.ws.writeFile('', 'x'), /workspace root is a folder/);
        await refused(s.ws.writeFile('deep', 'x'), /is a folder/);
        await refused(s.ws.writeFile('file.txt/child.txt', 'x'), /Cannot create the folder/);
        assert.equal(s.read('file.txt'), 'x');
      });

      it('appends to a file, creating it and its folders, and refuses the root, a folder and a path under a file', async () => {
        await s.ws.appendText('.goalpost/j/base.journal', 'one\n');
        await s.ws.appendText('.goalpost/j/base.journal', 'two\n');
        assert.equal(s.read('.goalpost/j/base.journal'), 'one\ntwo\n');
        s.put('file.txt', 'x');
        await refused(s.ws.appendText('', 'x'), /workspace root is a folder/);
        await refused(s.ws.appendText('.goalpost', 'x'), /not a regular file/);
        await refused(s.ws.appendText('file.txt/child.txt', 'x'), /Cannot append to/);
        assert.equal(s.read('file.txt'), 'x');
      });

      it('refuses to append through a symbolic link in the file\'s own place, even one inside; a linked parent folder is followed', async () => {
        s.put('real/base.journal', 'kept\n');
        s.linkIn('planted.journal', 'real/base.journal');
        s.linkIn('alias', 'real');
        s.linkIn('real/again.journal', 'real/base.journal');
        await refused(s.ws.appendText('planted.journal', 'x'), /not a regular file/, 'a link to a file inside');
        await refused(s.ws.appendText('alias/again.journal', 'x'), /not a regular file/, 'a link reached through a linked folder');
        assert.equal(s.read('real/base.journal'), 'kept\n', 'nothing was appended through a link');
        await s.ws.appendText('alias/base.journal', 'more\n');
        assert.equal(s.read('real/base.journal'), 'kept\nmore\n');
      });

      it('deletes files only', async () => {
        s.put('gone.txt', 'x');
        s.put('dir/kept.txt', 'k');
        await s.ws.deleteFile('gone.txt');
        assert.equal(s.read('gone.txt'), undefined);
        await refused(s.ws.deleteFile('gone.txt'), /does not exist/);
        await refused(s.ws.deleteFile('dir'), /is a folder; delete_file removes files only/);
        assert.equal(s.read('dir/kept.txt'), 'k');
      });

      it('moves a file, creating the target\'s folders; a missing source or a folder as target is refused', async () => {
        s.put('BACKLOG.md', 'garbage');
        s.put('dir/x.txt', 'x');
        await s.ws.moveFile('BACKLOG.md', '.goalpost/BACKLOG.md.invalid-1');
        assert.equal(s.read('BACKLOG.md'), undefined);
        assert.equal(s.read('.goalpost/BACKLOG.md.invalid-1'), 'garbage');
        await refused(s.ws.moveFile('BACKLOG.md', 'again.md'), /does not exist/);
        s.put('y.txt', 'y');
        await refused(s.ws.moveFile('y.txt', 'dir'), /Cannot move "y\.txt" to "dir"/);
        assert.equal(s.read('y.txt'), 'y');
      });
    });

    describe('listFiles and searchText', () => {
      beforeEach(() => {
        s.put('.gitignore', 'dist/\n*.log\n');
        s.put('src/a.ts', 'const a = 1;\n// TODO(me): fix a.b\nTODO later\n');
        s.put('src/b.ts', 'todo lowercase\n');
        s.put('src/gen/.gitignore', '*.gen.ts\n!keep.gen.ts\n');
        s.put('src/gen/x.gen.ts', 'TODO(me) generated\n');
        s.put('src/gen/keep.gen.ts', '');
        s.put('src.txt', '');
        s.put('dist/out.js', 'TODO(me): built\n');
        s.put('debug.log', 'TODO(me)\n');
        s.put('node_modules/pkg/index.js', 'TODO(me) dependency\n');
        s.put('.git/config', 'TODO(me)\n');
        s.put('.goalpost/state.json', 'TODO(me)\n');
        s.put('sub/.goalpost/goal.json', 'TODO(me)\n');
        s.put('README.md', '   TODO(me): padded   \n');
      });

      it('lists recursively in walk order, honouring root and nested .gitignore, never .git or .goalpost, node_modules not entered', async () => {
        const { entries, truncated } = await s.ws.listFiles('.');
        assert.equal(truncated, false);
        assert.deepEqual(entries.map((e) => `${e.type}:${e.path}`), [
          'file:.gitignore',
          'file:README.md',
          'dir:node_modules',
          'dir:src',
          'file:src/a.ts',
          'file:src/b.ts',
          'dir:src/gen',
          'file:src/gen/.gitignore',
          'file:src/gen/keep.gen.ts',
          'file:src.txt',
          'dir:sub', // holds only a .goalpost/, which is not shown
        ]);
      });

      it('lists a subfolder, a single file, node_modules and an ignored folder asked for by name; a missing path is refused', async () => {
        assert.deepEqual((await s.ws.listFiles('src/gen')).entries.map((e) => e.path), ['src/gen/.gitignore', 'src/gen/keep.gen.ts']);
        assert.deepEqual((await s.ws.listFiles('src/a.ts')).entries, [{ path: 'src/a.ts', type: 'file' }]);
        assert.deepEqual((await s.ws.listFiles('node_modules')).entries.map((e) => `${e.type}:${e.path}`), ['dir:node_modules/pkg', 'file:node_modules/pkg/index.js']);
        assert.deepEqual((await s.ws.listFiles('dist')).entries, [{ path: 'dist/out.js', type: 'file' }]);
        await refused(s.ws.listFiles('nope'), /"nope" does not exist/);
      });

      it('searches literally and case-sensitively, in walk order, skipping what a listing skips; the line is trimmed', async () => {
        const { matches, truncated } = await s.ws.searchText('TODO(me)');
        assert.equal(truncated, false);
        assert.deepEqual(matches, [
          { path: 'README.md', line: 1, text: 'TODO(me): padded' },
          { path: 'src/a.ts', line: 2, text: '// TODO(me): fix a.b' },
        ]);
        assert.deepEqual((await s.ws.searchText('a.b', 'src')).matches.map((m) => m.line), [2]);
        assert.deepEqual((await s.ws.searchText('TODO', 'src/a.ts')).matches.map((m) => m.line), [2, 3]);
        assert.deepEqual((await s.ws.searchText('dependency', 'node_modules')).matches.map((m) => m.path), ['node_modules/pkg/index.js']);
      });

      it('refuses an empty query, a query over two lines and a missing path', async () => {
        await refused(s.ws.searchText(''), /empty/);
        await refused(s.ws.searchText('a\nb'), /spans lines/);
        await refused(s.ws.searchText('x', 'nope'), /"nope" does not exist/);
      });
    });
  });
}
