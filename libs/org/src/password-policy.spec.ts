import { passwordProblems } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long password of three kinds of character', () => {
    expect(passwordProblems('Rectify-Demo-2026')).toEqual([]);
    expect(passwordProblems('Lan-Shan-Qing-47', 'officer@x.cn')).toEqual([]);
  });

  it('names each thing a weak password lacks', () => {
    expect(passwordProblems('short1A')).toEqual(['must be at least 10 characters']);
    expect(passwordProblems('onlylowercaseletters')).toEqual(['must mix at least three of: lower case, upper case, digits, symbols']);
    expect(passwordProblems('Lowerandupper')).toEqual(['must mix at least three of: lower case, upper case, digits, symbols']);
  });

  it('refuses common and breached passwords, also dressed up with digits, symbols and look-alikes', () => {
    for (const p of ['Password123!', 'P@ssw0rd2026', 'Qwerty-123456', 'Woaini-5201314', 'Admin@123456', 'Abc12345678!']) {
      expect(passwordProblems(p)).toContain('is a common or breached password');
    }
  });

  it('refuses a password that contains the e-mail name', () => {
    expect(passwordProblems('Zhangsan-2026!', 'zhangsan@dt.gov.cn')).toEqual(['must not contain your e-mail name']);
    expect(passwordProblems('Zhangsan-2026!', 'lisi@dt.gov.cn')).toEqual([]);
  });
});
