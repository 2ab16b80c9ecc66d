import { Deadline, DEFAULT_OFFICE_LIMITS, unreadable, type OfficeLimits } from './limits.js';
import { openZip, verifyZip } from './zip.js';

const MAIN_PARTS = ['word/document.xml', 'xl/workbook.xml', 'ppt/presentation.xml'];

/**
 * Checks an Office Open XML file before it is kept (evidence): declared sizes within the limits,
 * every part unpacking to no more than it declares, and the parts an Office document has.
 */
export async function checkOfficePackage(buffer: Buffer, limits: OfficeLimits = DEFAULT_OFFICE_LIMITS): Promise<void> {
  const zip = openZip(buffer, limits, new Deadline(limits.timeoutMs));
  if (!zip.entries.has('[Content_Types].xml') || !MAIN_PARTS.some((p) => zip.entries.has(p))) {
    throw unreadable('NOT_AN_OFFICE_FILE', 'The file is a ZIP package but not a Word, Excel or PowerPoint document');
  }
  await verifyZip(zip);
}
