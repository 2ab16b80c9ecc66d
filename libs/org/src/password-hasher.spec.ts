import { PasswordHasher } from './password-hasher.js';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('Correct-Horse-1');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(hash).not.toContain('Correct-Horse-1');
    await expect(hasher.verify(hash, 'Correct-Horse-1')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'Wrong-Horse-1')).resolves.toBe(false);
    await expect(hasher.verify(null, 'Correct-Horse-1')).resolves.toBe(false);
    await expect(hasher.verify('not-a-hash', 'x')).resolves.toBe(false);
  });
});
