import mammoth from 'mammoth';
import { Deadline, DEFAULT_OFFICE_LIMITS, unreadable, type OfficeLimits } from './limits.js';
import { openZip, verifyZip } from './zip.js';

/**
 * The text of a .docx, one paragraph a line. The package is checked (declared sizes, then every
 * part unpacked within its declared size) before mammoth reads it, so mammoth never meets a bomb.
 */
export async function readDocxText(buffer: Buffer, limits: OfficeLimits = DEFAULT_OFFICE_LIMITS): Promise<string> {
  const zip = openZip(buffer, limits, new Deadline(limits.timeoutMs));
  if (!zip.entries.has('word/document.xml')) throw unreadable('NOT_A_DOCUMENT', 'The file is not a .docx document');
  await verifyZip(zip);
  try {
    const { value } = await mammoth.extractRawText({ buffer });
    return value;
  } catch {
    throw unreadable('OFFICE_DAMAGED', 'The .docx document could not be read');
  }
}
