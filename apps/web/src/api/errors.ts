/** An answer other than 2xx, in the api's `{code, message, details}` shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }

  /** Field errors of a 400/422 (`details.fields`), by field name. */
  get fields(): Record<string, string> {
    const d = this.details as { fields?: { field: string; messages: string[] }[] | Record<string, string | string[]> } | null;
    const out: Record<string, string> = {};
    if (Array.isArray(d?.fields)) for (const f of d.fields) out[f.field] = f.messages.join('；');
    else for (const [k, v] of Object.entries(d?.fields ?? {})) out[k] = Array.isArray(v) ? v.join('；') : String(v);
    return out;
  }
}

export async function errorFrom(res: Response): Promise<ApiError> {
  let body: { code?: string; message?: string; details?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.message ?? res.statusText, body.details ?? null);
}
