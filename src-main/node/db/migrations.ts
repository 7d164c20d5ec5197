/**
 * The node's SQLite schema as numbered migrations. `user_version` holds the applied version; a database
 * written by a newer node (higher version) is refused rather than guessed at.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  // 1 — everything B.10 asks to survive a restart.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE state_balances (account TEXT PRIMARY KEY, amount_i64 INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE state_nonces (address TEXT PRIMARY KEY, nonce TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE state_bindings (hardware_id TEXT PRIMARY KEY, last_epoch INTEGER NOT NULL, miner TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE state_pins (miner TEXT PRIMARY KEY, public_key TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE epochs (
    epoch INTEGER PRIMARY KEY,
    epoch_hash TEXT NOT NULL UNIQUE,
    header TEXT NOT NULL,
    body TEXT NOT NULL,
    results TEXT NOT NULL,
    certificate TEXT NOT NULL,
    votes TEXT NOT NULL,
    committed_at INTEGER NOT NULL,
    attestation_count INTEGER NOT NULL,
    transfer_count INTEGER NOT NULL,
    minted_i64 INTEGER NOT NULL,
    total_supply_i64 INTEGER NOT NULL
  );

  CREATE TABLE ledger (
    seq INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    account TEXT NOT NULL,
    delta_i64 INTEGER NOT NULL,
    reason TEXT NOT NULL,
    tx_hash TEXT,
    counterparty TEXT
  );
  CREATE INDEX ledger_by_account ON ledger (account, seq);

  CREATE TABLE rewards (
    epoch INTEGER NOT NULL,
    miner TEXT NOT NULL,
    share_i64 INTEGER NOT NULL,
    weight_units TEXT NOT NULL,
    PRIMARY KEY (epoch, miner)
  ) WITHOUT ROWID;
  CREATE INDEX rewards_by_miner ON rewards (miner, epoch);

  CREATE TABLE transfers (
    pending_id INTEGER PRIMARY KEY,
    tx_id TEXT NOT NULL UNIQUE,
    tx_hash TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    amount_i64 INTEGER NOT NULL,
    nonce TEXT NOT NULL,
    memo TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    receipt_epoch INTEGER NOT NULL,
    status TEXT NOT NULL,
    epoch INTEGER,
    void_reason TEXT,
    settled_at INTEGER,
    object TEXT NOT NULL
  );
  CREATE UNIQUE INDEX transfers_by_sender_nonce ON transfers (from_addr, nonce);
  CREATE INDEX transfers_by_hash ON transfers (tx_hash);
  CREATE INDEX transfers_by_recipient ON transfers (to_addr, pending_id);
  CREATE INDEX transfers_by_status ON transfers (status, pending_id);

  CREATE TABLE sender_nonces (address TEXT PRIMARY KEY, max_nonce TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE challenges (
    nonce TEXT PRIMARY KEY,
    bound_miner TEXT,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE TABLE pool_attestations (
    id TEXT PRIMARY KEY,
    epoch INTEGER NOT NULL,
    miner TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    object TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX pool_attestations_by_epoch ON pool_attestations (epoch);

  CREATE TABLE miners (
    miner TEXT PRIMARY KEY,
    first_attest INTEGER NOT NULL,
    last_attest INTEGER NOT NULL,
    device_family TEXT NOT NULL,
    device_arch TEXT NOT NULL,
    entropy_score REAL NOT NULL,
    fingerprint_passed INTEGER NOT NULL,
    weight_units TEXT NOT NULL,
    public_key TEXT NOT NULL,
    checks TEXT NOT NULL,
    enrolled_epochs INTEGER NOT NULL DEFAULT 0,
    last_enrolled_epoch INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX miners_by_last_attest ON miners (last_attest);

  CREATE TABLE anchors (
    epoch INTEGER PRIMARY KEY,
    epoch_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    tx_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at INTEGER NOT NULL
  );
  `,
  // 2: the anchor queue's retry bookkeeping (B.9).
  `
  ALTER TABLE anchors ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE anchors ADD COLUMN first_failed_at INTEGER;
  ALTER TABLE anchors ADD COLUMN needs_lookup INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX anchors_by_status ON anchors (status, epoch);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {}

/** Applies every migration above the stored version, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new SchemaTooNewError(
      `database schema version ${current} is newer than this node supports (${SCHEMA_VERSION})`,
    );
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    const sql = MIGRATIONS[v] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
