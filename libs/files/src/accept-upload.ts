import type { Readable } from 'node:stream';
import { DomainError } from '#domain';
import { DEFAULT_OFFICE_LIMITS, checkOfficePackage } from '#office';
import type { PersonRef } from '#persistence';
import { ACCEPTED_FORMATS, detectFileType } from './file-type.js';
import { FileTooLargeError, type EvidenceStorage, type StagedFile } from './evidence-storage.js';

/** What is kept and shown of a stored evidence file, whatever it is evidence for. */
export interface StoredFileView {
  id: string;
  unitId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedById: string;
  /** Who uploaded it, with their unit. */
  uploadedBy: PersonRef | null;
  uploadedAt: Date;
}

export interface AcceptedUpload {
  staged: StagedFile;
  mime: string;
  /** The sent name cleaned, with the extension of the real type. */
  filename: string;
}

/**
 * Stages an uploaded file and checks it: within the size limit (a truncated file is never kept),
 * not empty, and by its content one of the accepted formats. The caller commits or discards it.
 */
export async function acceptUpload(storage: EvidenceStorage, stream: Readable, name: string, limitBytes: number): Promise<AcceptedUpload> {
  let staged: StagedFile;
  try {
    staged = await storage.stage(stream, limitBytes);
  } catch (e) {
    if (e instanceof FileTooLargeError) {
      throw new DomainError('too_large', 'FILE_TOO_LARGE', `The file is larger than the limit of ${e.limitBytes} bytes`, {
        limitBytes: e.limitBytes,
      });
    }
    throw e;
  }
  if (staged.sizeBytes === 0) {
    await staged.discard();
    throw DomainError.validation('The file is empty', [{ field: 'file', messages: ['must not be empty'] }]);
  }
  const { head, tail } = await staged.peek(65536);
  const type = detectFileType(head, tail, name);
  if (!type) {
    await staged.discard();
    throw new DomainError('validation', 'UNSUPPORTED_FILE_TYPE', `This file's content is not an accepted format (${ACCEPTED_FORMATS})`, {
      filename: name,
    });
  }
  if (OFFICE_PACKAGES.includes(type.ext)) {
    // A zip bomb named .xlsx passes the content sniff: check the package's sizes and parts before keeping it.
    const { head: whole } = await staged.peek(staged.sizeBytes);
    await checkOfficePackage(whole, { ...DEFAULT_OFFICE_LIMITS, maxFileBytes: limitBytes }).catch(async (e: unknown) => {
      await staged.discard();
      throw e;
    });
  }
  return { staged, mime: type.mime, filename: safeFilename(name, type.ext) };
}

const OFFICE_PACKAGES = ['docx', 'xlsx', 'pptx'];

/**
 * Keeps a readable name: NFC, no path parts, no control or format characters (a right-to-left
 * override would display a false extension), at most 120 characters, and the extension of the real type.
 */
function safeFilename(name: string, ext: string): string {
  const cleaned = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, '')
    .trim();
  const base = [...cleaned].slice(0, 120).join('');
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return `${stem.trim() || 'evidence'}.${ext}`;
}
