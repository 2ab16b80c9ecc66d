import { DomainError } from './domain-error.js';
import { ERROR_CODES, NOT_FOUND_ENTITIES } from './error-codes.js';

const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

describe('error codes', () => {
  it('are upper-case words joined by underscores, the not-found ones included', () => {
    const notFound = NOT_FOUND_ENTITIES.map((entity) => DomainError.notFound(entity).code);
    expect([...ERROR_CODES, ...notFound].filter((code) => !CODE.test(code))).toEqual([]);
  });

  it('name the two complaint entities that once carried a space', () => {
    expect(DomainError.notFound('complaint_batch', 'b1')).toMatchObject({
      kind: 'not_found',
      code: 'COMPLAINT_BATCH_NOT_FOUND',
      details: { id: 'b1' },
    });
    expect(DomainError.notFound('duplicate_proposal').code).toBe('DUPLICATE_PROPOSAL_NOT_FOUND');
  });

  it('are listed once each', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});
