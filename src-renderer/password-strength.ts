/**
 * A rough password score 0–4: length and variety, penalised for repeats, sequences and very common
 * passwords. It only guides the user; it is not a guarantee.
 */
const COMMON = new Set([
  'password',
  'password1',
  '123456',
  '12345678',
  '123456789',
  'qwerty',
  'letmein',
  'iloveyou',
  'admin',
  'welcome',
  'monkey',
  'dragon',
  'abc123',
  'passw0rd',
  'bitcoin',
  'rustchain',
  'wallet',
]);

export function passwordStrength(password: string): 0 | 1 | 2 | 3 | 4 {
  if (password.length === 0) return 0;
  if (COMMON.has(password.toLowerCase())) return 0;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const unique = new Set(password).size;
  let bits = password.length * Math.log2(Math.min(95, [0, 26, 52, 62, 95][classes] ?? 95));
  if (unique < password.length / 2) bits *= 0.6;
  if (/(0123|1234|2345|3456|abcd|bcde|qwer|asdf)/i.test(password)) bits *= 0.7;
  if (bits < 28) return 0;
  if (bits < 40) return 1;
  if (bits < 55) return 2;
  if (bits < 70) return 3;
  return 4;
}

/** What the app accepts: at least 8 characters and a "fair" score. */
export function isAcceptablePassword(password: string): boolean {
  return password.length >= 8 && passwordStrength(password) >= 2;
}
