// Keeps the head and the tail of a command's output within a byte cap, so a command printing a gigabyte
// costs the model a few KiB (the start usually says what ran, the end says how it failed).

/** The capped text and whether anything was left out. */
export interface CappedOutput {
  text: string;
  truncated: boolean;
  totalBytes: number;
}

/** Collects output chunks, keeping at most `capBytes` (half head, half tail). */
export class HeadTailBuffer {
  private readonly headCap: number;
  private readonly tailCap: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(capBytes: number) {
    this.headCap = Math.floor(capBytes / 2);
    this.tailCap = capBytes - this.headCap;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headCap) {
      const take = rest.subarray(0, this.headCap - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0].length >= this.tailCap) {
      this.tailBytes -= (this.tail.shift() as Buffer).length;
    }
  }

  /** The output as the model sees it; `logPath` is named in the omission marker. */
  render(logPath: string | null): CappedOutput {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailCap) tail = tail.subarray(tail.length - this.tailCap);
    if (head.length + tail.length >= this.total) {
      return { text: Buffer.concat([head, tail]).toString('utf8'), truncated: false, totalBytes: this.total };
    }
    const headText = head.subarray(0, utf8SafeEnd(head)).toString('utf8');
    const tailText = tail.subarray(utf8SafeStart(tail)).toString('utf8');
    const omitted = this.total - Buffer.byteLength(headText) - Buffer.byteLength(tailText);
    const where = logPath ? ` (full log: ${logPath})` : '';
    return { text: `${headText}\n… ${omitted} bytes omitted${where} …\n${tailText}`, truncated: true, totalBytes: this.total };
  }
}

/** Length of `buf` without a trailing incomplete UTF-8 sequence. */
function utf8SafeEnd(buf: Buffer): number {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const byte = buf[buf.length - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

/** Offset of the first byte of `buf` that starts a UTF-8 sequence. */
function utf8SafeStart(buf: Buffer): number {
  let i = 0;
  while (i < Math.min(4, buf.length) && (buf[i] & 0xc0) === 0x80) i++;
  return i;
}
