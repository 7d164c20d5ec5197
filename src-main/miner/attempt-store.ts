/**
 * Every attestation attempt of the miner, in SQLite (`<home>/miner/miner.db`): when, against which
 * node, the epoch, the outcome with the node's status/code, the weight, and each check's verdict and
 * values. WAL mode; one writer (the miner process).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { canonicalJson, isJsonObject, type JsonObject } from '../protocol/canonical-json.js';

export type AttemptOutcome = 'accepted' | 'rejected' | 'unreachable' | 'error';

export interface AttemptRecord {
  at: number;
  node: string;
  miner: string;
  epoch: number | null;
  stage: 'health' | 'challenge' | 'fingerprint' | 'submit' | 'enroll';
  outcome: AttemptOutcome;
  status: number | null;
  code: string | null;
  message: string | null;
  fingerprintPassed: boolean | null;
  weight: number | null;
  enrolledWeight: number | null;
  fidelity: string | null;
  fingerprint: JsonObject | null;
}

export interface StoredAttempt extends Omit<AttemptRecord, 'fingerprint'> {
  id: number;
  checks: { name: string; passed: boolean; data: string }[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  node TEXT NOT NULL,
  miner TEXT NOT NULL,
  epoch INTEGER,
  stage TEXT NOT NULL,
  outcome TEXT NOT NULL,
  status INTEGER,
  code TEXT,
  message TEXT,
  fingerprint_passed INTEGER,
  weight REAL,
  enrolled_weight REAL,
  fidelity TEXT
);
CREATE TABLE IF NOT EXISTS attempt_checks (
  attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  passed INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (attempt_id, name)
);
CREATE INDEX IF NOT EXISTS attempts_at ON attempts(at);
`;

interface AttemptRow {
  id: number;
  at: number;
  node: string;
  miner: string;
  epoch: number | null;
  stage: AttemptRecord['stage'];
  outcome: AttemptOutcome;
  status: number | null;
  code: string | null;
  message: string | null;
  fingerprint_passed: number | null;
  weight: number | null;
  enrolled_weight: number | null;
  fidelity: string | null;
}

export function minerDbPath(home: string): string {
  return join(home, 'miner', 'miner.db');
}

export class AttemptStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  /** Records an attempt and returns its id. */
  record(a: AttemptRecord): number {
    const insert = this.db.transaction((r: AttemptRecord) => {
      const info = this.db
        .prepare(
          `INSERT INTO attempts (at, node, miner, epoch, stage, outcome, status, code, message, fingerprint_passed, weight, enrolled_weight, fidelity)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.at,
          r.node,
          r.miner,
          r.epoch,
          r.stage,
          r.outcome,
          r.status,
          r.code,
          r.message,
          r.fingerprintPassed === null ? null : r.fingerprintPassed ? 1 : 0,
          r.weight,
          r.enrolledWeight,
          r.fidelity,
        );
      const id = Number(info.lastInsertRowid);
      const checks = r.fingerprint?.['checks'];
      if (isJsonObject(checks)) {
        const add = this.db.prepare('INSERT INTO attempt_checks (attempt_id, name, passed, data) VALUES (?, ?, ?, ?)');
        for (const [name, c] of Object.entries(checks)) {
          if (!isJsonObject(c)) continue;
          add.run(id, name, c['passed'] === true ? 1 : 0, canonicalJson(c['data'] ?? {}));
        }
      }
      return id;
    });
    return insert(a);
  }

  /** Sets the enrollment weight reported after an accepted attestation. */
  setEnrolledWeight(id: number, weight: number): void {
    this.db.prepare('UPDATE attempts SET enrolled_weight = ? WHERE id = ?').run(weight, id);
  }

  /** Most recent first. */
  recent(limit = 50): StoredAttempt[] {
    const rows = this.db.prepare('SELECT * FROM attempts ORDER BY id DESC LIMIT ?').all(limit) as AttemptRow[];
    const checksOf = this.db.prepare(
      'SELECT name, passed, data FROM attempt_checks WHERE attempt_id = ? ORDER BY name',
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      node: r.node,
      miner: r.miner,
      epoch: r.epoch,
      stage: r.stage,
      outcome: r.outcome,
      status: r.status,
      code: r.code,
      message: r.message,
      fingerprintPassed: r.fingerprint_passed === null ? null : r.fingerprint_passed === 1,
      weight: r.weight,
      enrolledWeight: r.enrolled_weight,
      fidelity: r.fidelity,
      checks: (checksOf.all(r.id) as { name: string; passed: number; data: string }[]).map((c) => ({
        name: c.name,
        passed: c.passed === 1,
        data: c.data,
      })),
    }));
  }

  close(): void {
    this.db.close();
  }
}
