/**
 * Attestation data that must survive a restart (B.10): issued challenge nonces (until expiry) and their
 * use, the attestation pool, and per-miner liveness data for /api/miners and /epoch/enroll.
 */
import type Database from 'better-sqlite3';

export interface ChallengeRow {
  nonce: string;
  bound_miner: string | null;
  expires_at: number;
  used: number;
}

export interface MinerRow {
  miner: string;
  first_attest: number;
  last_attest: number;
  device_family: string;
  device_arch: string;
  entropy_score: number;
  fingerprint_passed: number;
  weight_units: string;
  public_key: string;
  checks: string;
  enrolled_epochs: number;
  last_enrolled_epoch: number | null;
}

export interface MinerUpdate {
  miner: string;
  at: number;
  deviceFamily: string;
  deviceArch: string;
  entropyScore: number;
  passed: boolean;
  weightUnits: bigint;
  publicKey: string;
  checks: string;
}

export class AttestationStore {
  private readonly insertChallenge;
  private readonly getChallenge;
  private readonly useChallenge;
  private readonly purgeChallenges;
  private readonly insertPool;
  private readonly deletePoolEpoch;
  private readonly upsertMiner;
  private readonly getMinerStmt;
  private readonly enrolledStmt;

  constructor(private readonly db: Database.Database) {
    this.insertChallenge = db.prepare('INSERT INTO challenges (nonce, bound_miner, expires_at) VALUES (?, ?, ?)');
    this.getChallenge = db.prepare('SELECT * FROM challenges WHERE nonce = ?');
    this.useChallenge = db.prepare('UPDATE challenges SET used = 1 WHERE nonce = ? AND used = 0');
    this.purgeChallenges = db.prepare('DELETE FROM challenges WHERE expires_at < ?');
    this.insertPool = db.prepare(
      'INSERT OR IGNORE INTO pool_attestations (id, epoch, miner, received_at, object) VALUES (?, ?, ?, ?, ?)',
    );
    this.deletePoolEpoch = db.prepare('DELETE FROM pool_attestations WHERE epoch <= ?');
    this.upsertMiner = db.prepare(
      `INSERT INTO miners (miner, first_attest, last_attest, device_family, device_arch, entropy_score,
         fingerprint_passed, weight_units, public_key, checks)
       VALUES (@miner, @at, @at, @deviceFamily, @deviceArch, @entropyScore, @passed, @weightUnits, @publicKey, @checks)
       ON CONFLICT (miner) DO UPDATE SET last_attest = excluded.last_attest, device_family = excluded.device_family,
         device_arch = excluded.device_arch, entropy_score = excluded.entropy_score,
         fingerprint_passed = excluded.fingerprint_passed, weight_units = excluded.weight_units,
         public_key = excluded.public_key, checks = excluded.checks`,
    );
    this.getMinerStmt = db.prepare('SELECT * FROM miners WHERE miner = ?');
    this.enrolledStmt = db.prepare(
      `UPDATE miners SET enrolled_epochs = enrolled_epochs + 1, last_enrolled_epoch = ? WHERE miner = ?`,
    );
  }

  addChallenge(nonce: string, boundMiner: string | null, expiresAt: number): void {
    this.insertChallenge.run(nonce, boundMiner, expiresAt);
  }

  challenge(nonce: string): ChallengeRow | undefined {
    return this.getChallenge.get(nonce) as ChallengeRow | undefined;
  }

  /** Marks a nonce used; false if it already was (a concurrent replay). */
  consumeChallenge(nonce: string): boolean {
    return this.useChallenge.run(nonce).changes === 1;
  }

  purgeExpiredChallenges(now: number): void {
    this.purgeChallenges.run(Math.floor(now));
  }

  addToPool(id: string, epoch: number, miner: string, receivedAt: number, object: string): void {
    this.insertPool.run(id, epoch, miner, receivedAt, object);
  }

  /** Inside the commit transaction of `epoch`. */
  dropPoolUpTo(epoch: number): void {
    this.deletePoolEpoch.run(epoch);
  }

  pool(): { id: string; epoch: number; miner: string; received_at: number; object: string }[] {
    return this.db.prepare('SELECT * FROM pool_attestations ORDER BY epoch, received_at').all() as {
      id: string;
      epoch: number;
      miner: string;
      received_at: number;
      object: string;
    }[];
  }

  recordMiner(u: MinerUpdate): void {
    this.upsertMiner.run({
      miner: u.miner,
      at: Math.floor(u.at),
      deviceFamily: u.deviceFamily,
      deviceArch: u.deviceArch,
      entropyScore: u.entropyScore,
      passed: u.passed ? 1 : 0,
      weightUnits: u.weightUnits.toString(),
      publicKey: u.publicKey,
      checks: u.checks,
    });
  }

  miner(miner: string): MinerRow | undefined {
    return this.getMinerStmt.get(miner) as MinerRow | undefined;
  }

  /** Inside the commit transaction: counts a committed enrollment for /api/stats. */
  markEnrolled(miner: string, epoch: number): void {
    this.enrolledStmt.run(epoch, miner);
  }

  activeMiners(since: number, limit: number, offset: number): MinerRow[] {
    return this.db
      .prepare('SELECT * FROM miners WHERE last_attest > ? ORDER BY last_attest DESC, miner ASC LIMIT ? OFFSET ?')
      .all(Math.floor(since), limit, offset) as MinerRow[];
  }

  activeMinerCount(since: number): number {
    return this.db
      .prepare('SELECT COUNT(*) FROM miners WHERE last_attest > ?')
      .pluck()
      .get(Math.floor(since)) as number;
  }

  enrolledMinerCount(): number {
    return this.db.prepare('SELECT COUNT(*) FROM miners WHERE enrolled_epochs > 0').pluck().get() as number;
  }

  /** Keyset page of miners by id, for the explorer. */
  minersAfter(after: string | null, limit: number): MinerRow[] {
    return this.db
      .prepare(`SELECT * FROM miners ${after === null ? '' : 'WHERE miner > ?'} ORDER BY miner LIMIT ?`)
      .all(...(after === null ? [limit] : [after, limit])) as MinerRow[];
  }
}
