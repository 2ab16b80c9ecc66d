import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { constants, crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/**
 * A ZIP archive written as a stream, one deflated entry at a time, each with its sizes and CRC in
 * a data descriptor after it (so nothing is held back); no ZIP64, so an entry stays under 4 GiB.
 */
export class ZipWriter {
  private readonly done: Written[] = [];
  private offset = 0;
  private current: { entry: Written; deflate: DeflateRaw; flowed: Promise<void> } | null = null;

  constructor(private readonly out: Writable) {}

  async begin(name: string): Promise<void> {
    const entry: Written = { name: Buffer.from(name, 'utf8'), crc: 0, compressed: 0, size: 0, offset: this.offset };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 names
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(entry.name.length, 26);
    await this.push(Buffer.concat([header, entry.name]));
    const deflate = createDeflateRaw({ level: constants.Z_BEST_SPEED });
    const flowed = (async () => {
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        entry.compressed += chunk.length;
        await this.push(chunk);
      }
    })();
    this.current = { entry, deflate, flowed };
  }

  /** Adds to the open entry; resolves once the archive may take more. */
  async write(text: string): Promise<void> {
    const { entry, deflate } = this.current!;
    const data = Buffer.from(text, 'utf8');
    entry.crc = crc32(data, entry.crc);
    entry.size += data.length;
    if (!deflate.write(data)) await once(deflate, 'drain');
  }

  async end(): Promise<void> {
    const { entry, deflate, flowed } = this.current!;
    deflate.end();
    await flowed;
    this.current = null;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc >>> 0, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    await this.push(descriptor);
    this.done.push(entry);
  }

  async file(name: string, text: string): Promise<void> {
    await this.begin(name);
    await this.write(text);
    await this.end();
  }

  /** The central directory; then the archive is complete and the stream ended. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.done) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(0x0808, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt32LE(e.crc >>> 0, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      await this.push(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.done.length, 8);
    end.writeUInt16LE(this.done.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.push(end);
    this.out.end();
  }

  private async push(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
