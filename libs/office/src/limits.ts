import { DomainError, type ErrorCode } from '#domain';

/** Bounds on an Office package, checked before and while it is read. */
export interface OfficeLimits {
  /** The file itself, as uploaded. */
  maxFileBytes: number;
  /** Entries in the package's central directory. */
  maxEntries: number;
  /** Any one entry, unpacked. */
  maxEntryBytes: number;
  /** All entries together, unpacked. */
  maxTotalBytes: number;
  /** Unpacked ÷ packed size of an entry, for entries above ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Rows with content, and cells with content, of the sheet read. */
  maxRows: number;
  maxCells: number;
  maxColumns: number;
  /** Wall-clock time for the whole read. */
  timeoutMs: number;
}

export const DEFAULT_OFFICE_LIMITS: OfficeLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxEntries: 2000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxRows: 20_000,
  maxCells: 1_000_000,
  maxColumns: 256,
  timeoutMs: 20_000,
};

/** A limit exceeded: 413 with a code naming the limit, its value and what was found. */
export function limitExceeded(code: ErrorCode, message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('too_large', code, message, details);
}

/** A file that is not the package it claims to be, or is damaged: 422 naming the problem. */
export function unreadable(code: ErrorCode, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('unprocessable', code, message, details);
}

/** Throws OFFICE_TIMEOUT once the read has taken longer than its limit. */
export class Deadline {
  private readonly until: number;
  constructor(private readonly ms: number) {
    this.until = Date.now() + ms;
  }
  check(): void {
    if (Date.now() > this.until) {
      throw unreadable('OFFICE_TIMEOUT', `Reading the file took longer than the limit of ${this.ms / 1000} s`, { limitMs: this.ms });
    }
  }
}
