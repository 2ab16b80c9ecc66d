import type { components } from '../../api/schema';
import { uploadWithProgress } from '../../auth/token';

export type LedgerPreview = components['schemas']['LedgerPreviewDto'];
export type LedgerImportResult = components['schemas']['LedgerImportResultDto'];
export type DecompositionResult = components['schemas']['DecompositionResultDto'];
export type DraftTask = DecompositionResult['tasks'][number];
export type DecompositionCreated = components['schemas']['DecompositionCreatedDto'];

/** The api reads the form's fields before its file, so the file goes last. */
export function form(fields: Record<string, string>, file: Blob, filename: string): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  body.append('file', file, filename);
  return body;
}

export const postForm = async <T>(url: string, body: FormData): Promise<T> => (await uploadWithProgress(url, body, () => undefined)) as T;
