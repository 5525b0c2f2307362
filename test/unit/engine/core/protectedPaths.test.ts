// Protected-path globs (F10) read like .gitignore lines: a bare name matches in any folder, a slash
// anchors at the goal's folder, a folder protects everything under it.
import * as assert from 'node:assert/strict';
import { protectedPatterns, protectingPattern } from '../../../../src/engine/protectedPaths';
import { refuseProtected, type ToolCapabilities } from '../../../../src/engine/tools/capabilities';

const cases: [string, string, boolean][] = [
  ['test.js', 'test.js', true],
  ['test.js', 'lib/test.js', true],
  ['test.js', 'test.json', false],
  ['test.js', 'mytest.js', false],
  ['*.snap', 'src/__snapshots__/a.test.js.snap', true],
  ['*.snap', 'snapshots/a.txt', false],
  ['test/', 'test/unit/a.js', true],
  ['test', 'test/unit/a.js', true],
  ['test/**', 'test/unit/deep/a.js', true],
  ['test/**', 'src/test.js', false],
  ['/package.json', 'package.json', true],
  ['/package.json', 'sub/package.json', false],
  ['src/*.test.js', 'src/a.test.js', true],
  ['src/*.test.js', 'src/deep/a.test.js', false],
  ['src/**/*.test.js', 'src/deep/er/a.test.js', true],
  ['src/**/*.test.js', 'src/a.test.js', true],
  ['./tests/fixture?.json', 'tests/fixture1.json', true],
  ['a+b(1).txt', 'a+b(1).txt', true],
  ['a+b(1).txt', 'aab1.txt', false],
];

describe('protected paths: globs', () => {
  for (const [pattern, path, protects] of cases) {
    it(`${pattern} ${protects ? 'protects' : 'does not protect'} ${path}`, () => {
      assert.equal(protectingPattern(path, [pattern]) !== null, protects);
    });
  }

  it('joins the goal\'s patterns and the settings\', blanks and repeats dropped', () => {
    assert.deepEqual(protectedPatterns(['test.js', ' ', 'test/**'], ['test.js', '*.snap']), ['test.js', 'test/**', '*.snap']);
    assert.deepEqual(protectedPatterns(undefined, []), []);
  });

  it('file tools are refused a protected path with the pattern and what to do instead', () => {
    const caps = { protectedPaths: ['BACKLOG.md'], protectedGlobs: ['test/**'] } as unknown as ToolCapabilities;
    assert.match(refuseProtected(caps, './test/unit/a.test.js') ?? '', /is a protected path of this goal \(pattern `test\/\*\*`\).*report_blocker/);
    assert.equal(refuseProtected(caps, 'src/a.js'), null);
  });
});
