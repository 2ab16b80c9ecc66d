import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredFile {
  key: string;
  sizeBytes: number;
  sha256: string;
}

export interface StagedFile extends StoredFile {
  /** Reads the first and last bytes, for content sniffing before the file is kept. */
  peek(bytes: number): Promise<{ head: Buffer; tail: Buffer }>;
  /** Keeps the file under its content address. */
  commit(): Promise<StoredFile>;
  discard(): Promise<void>;
}

/** Where evidence files live. Local disk by default; an object store can implement the same. */
export interface EvidenceStorage {
  /** Streams an upload to a staging area, hashing and counting as it goes; throws FileTooLarge past the limit. */
  stage(stream: Readable, limitBytes: number): Promise<StagedFile>;
  open(key: string): Promise<Readable>;
}

export const EVIDENCE_STORAGE = Symbol('EVIDENCE_STORAGE');

export class FileTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`file larger than ${limitBytes} bytes`);
  }
}

/** Content-addressed files on disk: <root>/<sha256[0:2]>/<sha256>. Identical uploads share one file. */
export class LocalDiskStorage implements EvidenceStorage {
  constructor(private readonly root: string) {}

  async stage(stream: Readable, limitBytes: number): Promise<StagedFile> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limitBytes) return done(new FileTooLargeError(limitBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(tmp, { flags: 'wx' }));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const sha256 = hash.digest('hex');
    const key = `${sha256.slice(0, 2)}/${sha256}`;
    const root = this.root;
    return {
      key,
      sizeBytes: size,
      sha256,
      async peek(bytes: number) {
        const fh = await open(tmp, 'r');
        try {
          const head = Buffer.alloc(Math.min(bytes, size));
          await fh.read(head, 0, head.length, 0);
          const tail = Buffer.alloc(Math.min(bytes, size));
          await fh.read(tail, 0, tail.length, Math.max(0, size - tail.length));
          return { head, tail };
        } finally {
          await fh.close();
        }
      },
      async commit() {
        const final = path.join(root, key);
        await mkdir(path.dirname(final), { recursive: true });
        const exists = await stat(final).then(
          () => true,
          () => false,
        );
        if (exists) await rm(tmp, { force: true });
        else await rename(tmp, final);
        return { key, sizeBytes: size, sha256 };
      },
      async discard() {
        await rm(tmp, { force: true });
      },
    };
  }

  async open(key: string): Promise<Readable> {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key)) throw new Error(`invalid storage key ${key}`);
    const file = path.join(this.root, key);
    await stat(file);
    return createReadStream(file);
  }
}
