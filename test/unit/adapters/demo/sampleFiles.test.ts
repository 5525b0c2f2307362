// The embedded sample (shipped in the bundles) and the fixture the in-editor tests and `npm start` copy
// must be the same project, or the demo's scripted edits would not fit what the user sees.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAMPLE_FILES } from '../../../../src/adapters/demo/sampleFiles';
import { repoRoot } from '../../../e2e-cli/helpers';

function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

describe('demo sample workspace', () => {
  it('is the same project as test/vscode/fixtures/workspace, file for file', () => {
    const fixture = path.join(repoRoot(), 'test', 'vscode', 'fixtures', 'workspace');
    assert.deepEqual(filesUnder(fixture).sort(), Object.keys(SAMPLE_FILES).sort());
    for (const [rel, text] of Object.entries(SAMPLE_FILES)) {
      assert.equal(text, fs.readFileSync(path.join(fixture, rel), 'utf8'), rel);
    }
  });
});
