import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { DomainError } from '#domain';

/** argon2id with the library's defaults (m=64 MiB, t=3, p=4). */
@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      // Spend the same time as a real check, so response time does not reveal unknown accounts.
      this.dummyHash ??= this.hash('rectify-dummy-password');
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}

export const PASSWORD_MIN_LENGTH = 10;

/** A short, explainable rule: long enough, and not only one kind of character. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > 256) problems.push('must be at most 256 characters');
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 2) problems.push('must mix at least two of: lower case, upper case, digits, symbols');
  return problems;
}

/** Throws a field-level validation error if the password is too weak. */
export function assertStrongPassword(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) throw DomainError.validation('The password is too weak', [{ field: 'password', messages: problems }]);
}
