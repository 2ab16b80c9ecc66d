/**
 * Recognises the accepted evidence formats by their content, never by the name a client gives:
 * PDF, images (PNG, JPEG, GIF, WebP, BMP, TIFF), Office Open XML (docx, xlsx, pptx) and the
 * older OLE compound formats (doc, xls, ppt, WPS).
 */
export interface DetectedType {
  mime: string;
  ext: string;
}

const OOXML: { marker: string; type: DetectedType }[] = [
  { marker: 'word/', type: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' } },
  { marker: 'xl/', type: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' } },
  { marker: 'ppt/', type: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx' } },
];

const OLE_BY_EXT: Record<string, DetectedType> = {
  doc: { mime: 'application/msword', ext: 'doc' },
  wps: { mime: 'application/vnd.ms-works', ext: 'wps' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls' },
  et: { mime: 'application/vnd.ms-excel', ext: 'et' },
  ppt: { mime: 'application/vnd.ms-powerpoint', ext: 'ppt' },
  dps: { mime: 'application/vnd.ms-powerpoint', ext: 'dps' },
};

const startsWith = (buf: Buffer, bytes: number[], offset = 0): boolean => bytes.every((b, i) => buf[offset + i] === b);

/**
 * @param head the first bytes of the file (at least 16)
 * @param tail the last bytes of the file (where a ZIP keeps its directory of entry names)
 * @param filename the client's name, used only to tell OLE documents apart
 */
export function detectFileType(head: Buffer, tail: Buffer, filename: string): DetectedType | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return { mime: 'application/pdf', ext: 'pdf' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
  if (head.subarray(0, 6).toString('latin1') === 'GIF87a' || head.subarray(0, 6).toString('latin1') === 'GIF89a')
    return { mime: 'image/gif', ext: 'gif' };
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return { mime: 'image/webp', ext: 'webp' };
  if (head.subarray(0, 2).toString('latin1') === 'BM' && head.length >= 14) return { mime: 'image/bmp', ext: 'bmp' };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return { mime: 'image/tiff', ext: 'tif' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const names = Buffer.concat([head, tail]).toString('latin1');
    if (!names.includes('[Content_Types].xml')) return null; // a plain ZIP archive is not accepted
    return OOXML.find((o) => names.includes(o.marker))?.type ?? null;
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    const ext = filename.toLowerCase().split('.').pop() ?? '';
    return OLE_BY_EXT[ext] ?? { mime: 'application/x-ole-storage', ext: 'doc' };
  }
  return null;
}

export const ACCEPTED_FORMATS = 'PDF, PNG, JPEG, GIF, WebP, BMP, TIFF, Word, Excel, PowerPoint (incl. WPS)';
