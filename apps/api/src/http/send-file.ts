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
