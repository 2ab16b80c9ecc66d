import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { CONTENT_TYPES, type ReportFile } from '#statistics';

/** Sends a generated document as a download (its name in UTF-8, never sniffed as another type). */
export function sendFile(reply: FastifyReply, file: ReportFile): void {
  void reply
    .header('content-type', CONTENT_TYPES[file.format])
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('x-content-type-options', 'nosniff')
    .send(file.body);
}

/** Sends a stored evidence file with its recorded type, length and SHA-256. */
export async function sendEvidence(
  reply: FastifyReply,
  file: { view: { contentType: string; sizeBytes: number; filename: string; sha256: string }; stream: Readable },
): Promise<void> {
  await reply
    .type(file.view.contentType)
    .header('content-length', file.view.sizeBytes)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.view.filename)}`)
    .header('x-content-sha256', file.view.sha256)
    .header('x-content-type-options', 'nosniff')
    .send(file.stream);
}
