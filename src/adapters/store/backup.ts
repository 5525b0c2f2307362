// goal.json.bak: the previous snapshot, kept by a hard link rather than a second write.
import * as fs from 'node:fs/promises';
import { StoreError } from '../../engine/ports';
import { copyDurably, errno, inFlight, ioError, renameWithRetry, tempName } from './files';

// Errors of link() on file systems without hard links (FAT, some network shares): copy instead.
const NO_HARD_LINKS = new Set(['EPERM', 'EXDEV', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Makes the current `goalPath` also `backupPath`, by a hard link to a temp name renamed over the old
 * backup: the bytes are neither copied nor synced again (they were synced when the snapshot was
 * written). The snapshot itself is untouched, so at every instant it still holds the previous good
 * goal; the next snapshot's folder fsync makes the new name durable. Copies (with an fsync) where hard
 * links are not supported, and remembers that in `mode`. `mayShareFile`: the snapshot may already be
 * the backup too (a write cut short between its two renames); false when the snapshot is unchanged
 * since this store wrote it as a fresh file, as a link made to it since would have changed its ctime.
 */
export async function linkBackup(goalPath: string, backupPath: string, mayShareFile: boolean, mode: { copy: boolean }): Promise<void> {
  const temp = tempName(backupPath);
  inFlight.add(temp);
  try {
    if (mode.copy) {
      await copyDurably(goalPath, temp);
    } else {
      try {
        await fs.link(goalPath, temp);
      } catch (e) {
        if (!NO_HARD_LINKS.has(errno(e) ?? '')) throw e;
        mode.copy = true;
        await copyDurably(goalPath, temp);
      }
    }
    await renameWithRetry(temp, backupPath);
    // rename() between two links of one file succeeds without removing the temp name.
    if (mayShareFile) await fs.rm(temp, { force: true });
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    // The snapshot vanished since it was checked (another process archived it): there is nothing to keep.
    if (errno(e) === 'ENOENT') return;
    throw e instanceof StoreError ? e : ioError(e, backupPath);
  } finally {
    inFlight.delete(temp);
  }
}
