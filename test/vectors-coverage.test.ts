import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vectorFileNames } from './support/vectors.js';

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

describe('spec vectors', () => {
  it('every vector file is read by at least one test', () => {
    const sources = testFiles(resolve(process.cwd(), 'test'))
      .filter((f) => !f.endsWith('vectors-coverage.test.ts'))
      .map((f) => readFileSync(f, 'utf8'));
    const names = vectorFileNames();
    expect(names.length).toBeGreaterThan(0);
    // `loadVectors<T>('name')` and `loadVectorsText('name')` both count as reading the file.
    const reads = (n: string) => new RegExp(`loadVectors(?:Text)?(?:<[^>]*>)?\\('${n}'\\)`);
    const unread = names.filter((n) => !sources.some((s) => reads(n).test(s)));
    expect(unread, `vector files that no test reads: ${unread.join(', ')}`).toEqual([]);
  });
});
