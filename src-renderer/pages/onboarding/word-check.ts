import { wordlist } from '@scure/bip39/wordlists/english.js';

const WORDS = new Set(wordlist);
export const VALID_WORD_COUNTS = [12, 15, 18, 21, 24];

/** C.1 input normalisation: NFKD, trim, lower-case, single spaces. */
export function normaliseMnemonic(text: string): string {
  return text.normalize('NFKD').trim().toLowerCase().split(/\s+/).filter(Boolean).join(' ');
}

export function isBip39Word(word: string): boolean {
  return WORDS.has(word);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const temp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = temp;
    }
  }
  return row[b.length] as number;
}

/** Up to 3 list words close to a mistyped one: same 4-letter prefix first (BIP39 words are unique there), then typos. */
export function suggestWords(word: string): string[] {
  const prefix = word.slice(0, 4);
  const byPrefix = prefix.length >= 3 ? wordlist.filter((w) => w.startsWith(prefix)) : [];
  const close = wordlist
    .map((w) => ({ w, d: editDistance(word, w) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)
    .map((x) => x.w);
  return [...new Set([...byPrefix, ...close])].slice(0, 3);
}

/** Picks `count` distinct positions (0-based) for the write-down quiz, in ascending order. */
export function pickQuizPositions(total: number, count: number): number[] {
  const picked = new Set<number>();
  const random = new Uint32Array(1);
  while (picked.size < Math.min(count, total)) {
    crypto.getRandomValues(random);
    picked.add((random[0] as number) % total);
  }
  return [...picked].sort((a, b) => a - b);
}
