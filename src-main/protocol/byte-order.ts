/**
 * Sorting strings in UTF-8 byte order (= Unicode code-point order), the order the spec uses for miner
 * ids, state keys and transfer senders.
 *
 * JavaScript's `<` compares UTF-16 code units, which agrees with code-point order unless a surrogate
 * (U+D800–U+DFFF) meets a unit in U+E000–U+FFFF. For large inputs (a million miners) a comparator sort
 * of strings is slow, so `byteOrderPermutation` packs a prefix of each key into a double and lets the
 * native typed-array sort do most of the work; equal prefixes are then finished with a comparator.
 */
import { compareCodePoints } from './canonical-json.js';

/** Units that can make UTF-16 order differ from code-point order. */
const HIGH_UNITS = /[\ud800-\uffff]/;

export function compareByteOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (HIGH_UNITS.test(a) || HIGH_UNITS.test(b)) return compareCodePoints(a, b);
  return a < b ? -1 : 1;
}

/** Below this size the packing costs more than it saves. */
const SMALL = 2048;

/** Indices of `keys` in ascending byte order (stable for equal keys). */
export function byteOrderPermutation(keys: readonly string[]): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;

  // A char-code scan: a regex test per key was a third of the time for a million ids.
  let ascii = true;
  for (let i = 0; i < n && ascii; i++) {
    const k = keys[i] as string;
    for (let j = 0; j < k.length; j++) {
      if (k.charCodeAt(j) > 0x7f) {
        ascii = false;
        break;
      }
    }
  }
  if (!ascii || n < SMALL) {
    const cmp = ascii ? (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0) : compareByteOrder;
    return order.sort((x, y) => cmp(keys[x] as string, keys[y] as string) || x - y);
  }

  // Skip the prefix every key shares (e.g. "RTC"); it carries no ordering information.
  const first = keys[0] as string;
  let lcp = first.length;
  for (let i = 1; i < n && lcp > 0; i++) {
    const k = keys[i] as string;
    let j = 0;
    const m = Math.min(lcp, k.length);
    while (j < m && k.charCodeAt(j) === first.charCodeAt(j)) j++;
    lcp = j;
  }

  // Map the characters used near the front to dense digits 1..a (0 = end of string).
  const WINDOW = 24;
  const digitOf = new Int16Array(128).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as string;
    const end = Math.min(k.length, lcp + WINDOW);
    for (let j = lcp; j < end; j++) digitOf[k.charCodeAt(j)] = 0;
  }
  let alphabet = 0;
  for (let c = 0; c < 128; c++) if (digitOf[c] === 0) digitOf[c] = ++alphabet;
  const base = alphabet + 1;

  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const indexScale = 2 ** indexBits;
  const keyLimit = 2 ** (53 - indexBits);
  let digits = 0;
  for (let span = 1; span * base < keyLimit && digits < WINDOW; span *= base) digits++;
  if (digits === 0) return order.sort((x, y) => compareByteOrder(keys[x] as string, keys[y] as string) || x - y);

  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as string;
    let v = 0;
    for (let j = 0; j < digits; j++) {
      const p = lcp + j;
      v = v * base + (p < k.length ? (digitOf[k.charCodeAt(p)] as number) : 0);
    }
    packed[i] = v * indexScale + i;
  }
  packed.sort();

  for (let i = 0; i < n; i++) order[i] = (packed[i] as number) % indexScale;

  // Finish runs whose packed prefixes tie; they are already in index order, so this stays stable.
  let runStart = 0;
  let runKey = Math.floor((packed[0] as number) / indexScale);
  for (let i = 1; i <= n; i++) {
    const key = i < n ? Math.floor((packed[i] as number) / indexScale) : -1;
    if (key === runKey) continue;
    if (i - runStart > 1) {
      const run = order.subarray(runStart, i);
      run.sort((x, y) => {
        const a = keys[x] as string;
        const b = keys[y] as string;
        return (a < b ? -1 : a > b ? 1 : 0) || x - y;
      });
    }
    runStart = i;
    runKey = key;
  }
  return order;
}

/** Sorts items by a string key in byte order (returns a new array). */
export function sortByByteOrder<T>(items: readonly T[], key: (item: T) => string): T[] {
  const keys = items.map(key);
  const order = byteOrderPermutation(keys);
  const out = new Array<T>(items.length);
  for (let i = 0; i < order.length; i++) out[i] = items[order[i] as number] as T;
  return out;
}
