/**
 * Many-row INSERTs for the settlement write (a million reward, ledger and balance rows in one
 * transaction). One statement per 128 rows crosses into SQLite 128 times less often than one per row;
 * the tail goes through the one-row statement. Call inside a transaction, and `flush()` before it ends.
 */
import type Database from 'better-sqlite3';

export const ROWS_PER_STATEMENT = 128;

export type SqlValue = string | number | bigint | null;

export class BatchInsert {
  private readonly many;
  private readonly one;
  private readonly buffer: SqlValue[] = [];
  private readonly width: number;

  /** `head` is everything before VALUES, e.g. `INSERT INTO t (a, b)`; `tail` an optional ON CONFLICT clause. */
  constructor(db: Database.Database, head: string, width: number, tail = '') {
    const row = `(${new Array<string>(width).fill('?').join(', ')})`;
    this.many = db.prepare(`${head} VALUES ${new Array<string>(ROWS_PER_STATEMENT).fill(row).join(', ')} ${tail}`);
    this.one = db.prepare(`${head} VALUES ${row} ${tail}`);
    this.width = width;
  }

  add(...values: SqlValue[]): void {
    for (const v of values) this.buffer.push(v);
    if (this.buffer.length === this.width * ROWS_PER_STATEMENT) {
      this.many.run(this.buffer);
      this.buffer.length = 0;
    }
  }

  flush(): void {
    for (let i = 0; i < this.buffer.length; i += this.width) this.one.run(this.buffer.slice(i, i + this.width));
    this.buffer.length = 0;
  }
}

/** A 64-bit amount as SQLite binds it fastest: a number when exact, else the bigint. */
export function sqlInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}
