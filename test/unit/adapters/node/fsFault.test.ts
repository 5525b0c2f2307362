// Disk and permission faults are recognised in every form they reach the CLI (a raw errno error, the
// store's wrapped message, a cause chain) and described as what happened and what to do.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFsFault, fsFaultOf } from '../../../../src/adapters/fsFault';
import { LineAppender } from '../../../../src/adapters/lineAppender';
import { StoreError } from '../../../../src/engine/ports';

describe('fsFault', () => {
  it('reads the code and path of a Node error, of the store\'s wrapped message and of a cause', () => {
    const raw = Object.assign(new Error("EROFS: read-only file system, open '/w/.goalpost/goal.json.tmp-1'"), { code: 'EROFS', path: '/w/.goalpost/goal.json.tmp-1' });
    assert.deepEqual(fsFaultOf(raw), { code: 'EROFS', path: '/w/.goalpost/goal.json.tmp-1' });
    const wrapped = new StoreError('io', "Could not access /w/.goalpost/goal.json: EACCES: permission denied, open '/w/.goalpost/goal.json.tmp-2'");
    assert.deepEqual(fsFaultOf(wrapped), { code: 'EACCES', path: '/w/.goalpost/goal.json.tmp-2' });
    assert.deepEqual(fsFaultOf(new Error('saving failed', { cause: Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }) })), { code: 'ENOSPC', path: null });
    assert.equal(fsFaultOf(new Error('something else')), null);
    assert.equal(fsFaultOf(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })), null, 'a missing file is not a disk fault');
  });

  it('says what happened and what to do for each kind', () => {
    assert.match(describeFsFault({ code: 'ENOSPC', path: '/w/goal_status.log' }), /^the disk is full: Goalpost could not write \/w\/goal_status\.log \(ENOSPC\)\. Free some space$/);
    assert.match(describeFsFault({ code: 'EROFS', path: null }), /read-only.*its files \(EROFS\)\. Make the folder writable/);
    assert.match(describeFsFault({ code: 'EPERM', path: '/w/.goalpost/x' }), /not allowed to write \/w\/\.goalpost\/x \(EPERM\).*chattr/);
    assert.match(describeFsFault({ code: 'ENOTDIR', path: '/w/.goalpost/transcripts/g.jsonl' }), /in the way.*Remove or rename it$/);
  });

  it('a write to a full disk through LineAppender names the file (write errors carry no path)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'goalpost-full-'));
    try {
      const file = path.join(dir, 'goal_status.log');
      await fs.symlink('/dev/full', file);
      const err = await new LineAppender(file).append('line').then(() => null, (e: unknown) => e);
      assert.deepEqual(fsFaultOf(err), { code: 'ENOSPC', path: file });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
