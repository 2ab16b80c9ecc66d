import { DomainError } from '#domain';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Passwords (and their words once digits, symbols and look-alike characters are taken out) that
 * lead the published breach corpora and the Chinese lists (拼音 names, keyboard walks, 520/1314).
 */
const COMMON = new Set(
  (
    'password passw0rd pass admin administrator root welcome letmein iloveyou qwerty qwertyuiop qwer asdf asdfgh asdfghjkl zxcv zxcvbnm ' +
    'qazwsx qazwsxedc wsx edc abc abcd abcde abcdef abcdefg abcdefgh test tester testing guest user login master monkey dragon ' +
    'football baseball soccer sunshine princess shadow superman batman trustno michael jennifer charlie jordan hunter ranger ' +
    'secret changeme default system manager china beijing shanghai woaini woaiwoma woaiwojia aini zhang wang li liu chen yang ' +
    'huang zhao zhou wu xu sun zhu ma hu guo lin he gao luo zhangwei wangwei wangfang lina liuyang zhangmin zhangjing ' +
    'rectify zhenggai huanbao huanjing ducha gov zhengfu hello hellokitty lovely love killer starwars whatever freedom ' +
    'computer internet server office company apple google baidu tencent qq wechat weixin aaaaaa aaa aa a ' +
    'password123 password1 password12 admin123 admin888 root123 qwerty123 abc123 abcd1234 a123456 aa123456 1qaz2wsx ' +
    '1q2w3e4r 1q2w3e4r5t 123qwe 123abc 000000 111111 123123 123456 1234567 12345678 123456789 1234567890 0123456789 ' +
    '5201314 1314520 520520 666666 888888 987654321 147258369 qwe asd zxc'
  ).split(' '),
);

const LOOK_ALIKE: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', $: 's', '5': 's', '7': 't' };

/** The word in a password: digits and symbols at its ends dropped, look-alikes read as letters (P@ssw0rd2026! → password). */
function wordOf(password: string): string {
  return [...password.toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')]
    .map((c) => LOOK_ALIKE[c] ?? c)
    .filter((c) => /\p{L}/u.test(c))
    .join('');
}

/**
 * The password policy: at least PASSWORD_MIN_LENGTH characters, at least three of the four kinds
 * (lower case, upper case, digits, symbols), not a common or breached password (even dressed up
 * with digits, symbols or look-alikes), not containing the account's e-mail name.
 */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 3) problems.push('must mix at least three of: lower case, upper case, digits, symbols');
  const lower = password.toLowerCase();
  const word = wordOf(password);
  const variants = [lower, word, lower.replace(/[^a-z0-9]/g, ''), lower.replace(/[^a-z]/g, '')];
  if (variants.some((v) => COMMON.has(v))) {
    problems.push('is a common or breached password');
  }
  const local = email?.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 3 && lower.includes(local)) problems.push('must not contain your e-mail name');
  return problems;
}

/** Throws 422 PASSWORD_POLICY naming what is wrong with the password (in details.fields), if anything is. */
export function assertPasswordPolicy(password: string, email?: string, field = 'password'): void {
  const problems = passwordProblems(password, email);
  if (problems.length > 0) {
    throw new DomainError('unprocessable', 'PASSWORD_POLICY', 'The password does not meet the password policy', {
      fields: [{ field, messages: problems }],
    });
  }
}
