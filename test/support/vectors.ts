/**
 * Loads the read-only spec vectors from ../shared/spec/vectors. `loadVectors` parses with JSON.parse;
 * `loadVectorsText` returns the raw text for the number-preserving parser (A.4.1).
 * test/vectors-coverage.test.ts checks that every vector file is named in some test.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src-main/protocol/canonical-json.js';

export const VECTORS_DIR = resolve(process.cwd(), '../shared/spec/vectors');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadVectors<T = any>(name: string): T {
  return JSON.parse(loadVectorsText(name)) as T;
}

export function loadVectorsText(name: string): string {
  return readFileSync(resolve(VECTORS_DIR, `${name}.json`), 'utf8');
}

export function vectorFileNames(): string[] {
  return readdirSync(VECTORS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Narrows a parsed vector value to an object (vectors read with the number-preserving parser). */
export function asObject(v: JsonValue | undefined): JsonObject {
  if (!isJsonObject(v)) throw new Error('vector value is not an object');
  return v;
}
