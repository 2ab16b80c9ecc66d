import { createInflateRaw } from 'node:zlib';
import { Deadline, limitExceeded, unreadable, type OfficeLimits } from './limits.js';

/** One file of a ZIP package, as its central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipPackage {
  buffer: Buffer;
  entries: Map<string, ZipEntry>;
  limits: OfficeLimits;
  deadline: Deadline;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

const notZip = (): Error => unreadable('NOT_AN_OFFICE_FILE', 'The file is not an Office document (its content is not a ZIP package)');

/**
 * Reads a package's central directory and checks its declared sizes against the limits before
 * anything is unpacked: entry count, each entry, the total, the compression ratio. Encrypted,
 * ZIP64 and unknown compression methods are refused (Office writes none of them at these sizes).
 */
export function openZip(buffer: Buffer, limits: OfficeLimits, deadline = new Deadline(limits.timeoutMs)): ZipPackage {
  if (buffer.length > limits.maxFileBytes) {
    throw limitExceeded('FILE_TOO_LARGE', `The file is larger than the limit of ${limits.maxFileBytes} bytes`, {
      limitBytes: limits.maxFileBytes,
      sizeBytes: buffer.length,
    });
  }
  if (buffer.length < 22 || buffer.readUInt32LE(0) !== LOCAL) throw notZip();
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - MAX_COMMENT); i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const count = buffer.readUInt16LE(eocd + 10);
  const cdSize = buffer.readUInt32LE(eocd + 12);
  const cdOffset = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    throw unreadable('OFFICE_ZIP64', 'ZIP64 packages are not accepted (an Office file within the limits never needs one)');
  }
  if (count > limits.maxEntries) {
    throw limitExceeded('OFFICE_TOO_MANY_ENTRIES', `The package has ${count} entries; at most ${limits.maxEntries} are accepted`, {
      limit: limits.maxEntries,
      found: count,
    });
  }
  if (cdOffset + cdSize > eocd) throw unreadable('OFFICE_DAMAGED', 'The package directory is damaged');
  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || buffer.readUInt32LE(at) !== CENTRAL) throw unreadable('OFFICE_DAMAGED', 'The package directory is damaged');
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10);
    const compressedSize = buffer.readUInt32LE(at + 20);
    const uncompressedSize = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const localHeaderOffset = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw unreadable('OFFICE_ENCRYPTED', 'The document is password-protected; save it without a password', { entry: name });
    if (method !== 0 && method !== 8)
      throw unreadable('OFFICE_DAMAGED', `Entry ${name} uses an unsupported compression method`, { entry: name });
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) {
      throw unreadable('OFFICE_ZIP64', 'ZIP64 packages are not accepted (an Office file within the limits never needs one)');
    }
    if (uncompressedSize > limits.maxEntryBytes) {
      throw limitExceeded(
        'OFFICE_ENTRY_TOO_LARGE',
        `Part ${name} unpacks to ${uncompressedSize} bytes; at most ${limits.maxEntryBytes} are accepted`,
        { limitBytes: limits.maxEntryBytes, entry: name, uncompressedBytes: uncompressedSize },
      );
    }
    if (uncompressedSize > limits.ratioFloorBytes && uncompressedSize > compressedSize * limits.maxRatio) {
      throw limitExceeded('OFFICE_COMPRESSION_RATIO', `Part ${name} is compressed more than ${limits.maxRatio}:1, as only a zip bomb is`, {
        limit: limits.maxRatio,
        entry: name,
        compressedBytes: compressedSize,
        uncompressedBytes: uncompressedSize,
      });
    }
    total += uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw limitExceeded('OFFICE_UNCOMPRESSED_TOO_LARGE', `The package unpacks to more than ${limits.maxTotalBytes} bytes`, {
        limitBytes: limits.maxTotalBytes,
      });
    }
    entries.set(name, { name, method, compressedSize, uncompressedSize, localHeaderOffset });
  }
  return { buffer, entries, limits, deadline };
}

/** The packed bytes of an entry, found through its local header. */
function packedBytes(zip: ZipPackage, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.buffer.length || zip.buffer.readUInt32LE(at) !== LOCAL) {
    throw unreadable('OFFICE_DAMAGED', `Part ${entry.name} is damaged`, { entry: entry.name });
  }
  const start = at + 30 + zip.buffer.readUInt16LE(at + 26) + zip.buffer.readUInt16LE(at + 28);
  if (start + entry.compressedSize > zip.buffer.length)
    throw unreadable('OFFICE_DAMAGED', `Part ${entry.name} is damaged`, { entry: entry.name });
  return zip.buffer.subarray(start, start + entry.compressedSize);
}

/**
 * Unpacks an entry as a stream of chunks, never more than its declared size (which the limits
 * already bound): a package whose data inflates beyond what it declares is refused at that byte.
 */
export async function* unpack(zip: ZipPackage, entry: ZipEntry): AsyncGenerator<Buffer> {
  const packed = packedBytes(zip, entry);
  if (entry.method === 0) {
    if (packed.length !== entry.uncompressedSize)
      throw unreadable('OFFICE_DAMAGED', `Part ${entry.name} is damaged`, { entry: entry.name });
    for (let i = 0; i < packed.length; i += 65536) yield packed.subarray(i, i + 65536);
    return;
  }
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  inflate.end(packed);
  let size = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > entry.uncompressedSize) {
        throw limitExceeded(
          'OFFICE_SIZE_MISMATCH',
          `Part ${entry.name} unpacks to more than the ${entry.uncompressedSize} bytes it declares`,
          {
            entry: entry.name,
            declaredBytes: entry.uncompressedSize,
          },
        );
      }
      zip.deadline.check();
      yield chunk;
    }
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('Z_'))
      throw unreadable('OFFICE_DAMAGED', `Part ${entry.name} is damaged`, { entry: entry.name });
    throw e;
  } finally {
    inflate.destroy();
  }
  if (size !== entry.uncompressedSize) throw unreadable('OFFICE_DAMAGED', `Part ${entry.name} is damaged`, { entry: entry.name });
}

/** Unpacks every entry without keeping it, so a package whose sizes lie is refused before another reader trusts them. */
export async function verifyZip(zip: ZipPackage): Promise<void> {
  for (const entry of zip.entries.values()) {
    for await (const _chunk of unpack(zip, entry)) {
      // counted and capped by unpack
    }
  }
}

/** An entry unpacked whole into a string (for the small parts: workbook, relationships). */
export async function readText(zip: ZipPackage, name: string): Promise<string | null> {
  const entry = zip.entries.get(name);
  if (!entry) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of unpack(zip, entry)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
