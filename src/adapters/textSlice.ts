// Reads a line range of a text file by streaming it, so a 50 MB log costs a scan, not 50 MB of memory.
// The whole file is scanned anyway to report its line count; only the requested lines are kept.
import { createReadStream, promises as fs } from 'node:fs';
import type { FileSlice } from '../engine/ports';
import { WorkspaceError } from '../engine/ports';

/** Limits of one read_file slice. */
export interface SliceLimits {
  maxLines: number;
  maxBytes: number;
}

/** A read_file slice: about 2,000 lines or 200 KB, whichever comes first. */
export const DEFAULT_SLICE_LIMITS: SliceLimits = { maxLines: 2000, maxBytes: 200 * 1024 };

/** Bytes looked at to tell binary from text, as git does. */
const SNIFF_BYTES = 8000;

/** True when the buffer looks binary (a NUL byte in its first 8,000 bytes). */
export function looksBinary(head: Buffer): boolean {
  return head.subarray(0, SNIFF_BYTES).includes(0);
}

/** True when the file at `abs` looks binary. */
export async function fileLooksBinary(abs: string): Promise<boolean> {
  const fh = await fs.open(abs, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return looksBinary(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * Lines `startLine`..`endLine` (1-based, inclusive) of the text file at `abs`, cut to `limits`.
 * `shown` is the path as the model wrote it, for error messages.
 */
export async function readTextSlice(
  abs: string,
  shown: string,
  range: { startLine?: number; endLine?: number },
  limits: SliceLimits = DEFAULT_SLICE_LIMITS,
): Promise<FileSlice> {
  const start = range.startLine ?? 1;
  const requestedEnd = range.endLine ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(start) || start < 1) throw new WorkspaceError(`start_line must be 1 or more (got ${start}).`);
  if (requestedEnd < start) throw new WorkspaceError(`end_line (${requestedEnd}) is before start_line (${start}).`);
  if (await fileLooksBinary(abs)) {
    throw new WorkspaceError(`${shown} is a binary file; read_file only reads text. Inspect it with run_command (for example \`file ${shown}\` or \`xxd ${shown} | head\`).`);
  }
  const lastWanted = Math.min(requestedEnd, start + limits.maxLines - 1);
  const out = Buffer.alloc(limits.maxBytes);
  let written = 0;
  let lineStartOffset = 0;
  let line = 1;
  let endLine = start - 1;
  let cutByBytes = false;
  let collecting = true;
  let lastByte = -1;
  let size = 0;

  for await (const chunk of createReadStream(abs, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    lastByte = chunk[chunk.length - 1];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const segEnd = nl === -1 ? chunk.length : nl + 1;
      if (collecting && line >= start && line <= lastWanted) {
        const seg = chunk.subarray(pos, segEnd);
        if (written + seg.length > limits.maxBytes) {
          cutByBytes = true;
          collecting = false;
          if (line === start) {
            // A single line longer than the cap: return its head rather than nothing.
            written += seg.copy(out, written, 0, limits.maxBytes - written);
            endLine = line;
          } else {
            written = lineStartOffset; // end the slice on a whole line
          }
        } else {
          written += seg.copy(out, written);
          endLine = line;
        }
      }
      if (nl === -1) break;
      line++;
      pos = nl + 1;
      if (collecting) lineStartOffset = written;
      if (line > lastWanted) collecting = false;
    }
  }
  const totalLines = size === 0 ? 0 : lastByte === 10 ? line - 1 : line;
  if (totalLines === 0 && start === 1) return { text: '', startLine: 1, endLine: 0, totalLines: 0, truncated: false };
  if (start > totalLines) {
    throw new WorkspaceError(`start_line ${start} is past the end of ${shown}, which has ${totalLines} line${totalLines === 1 ? '' : 's'}.`);
  }
  const text = out.subarray(0, written).toString('utf8').replace(/\r?\n$/, '');
  const truncated = cutByBytes || (requestedEnd > lastWanted && totalLines > lastWanted);
  return { text, startLine: start, endLine, totalLines, truncated };
}
