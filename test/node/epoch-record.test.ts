/**
 * The worked chain of vectors/epoch-record.json (genesis, epochs 357–388) committed through the node's
 * own commit path — `commitEpoch` over a real SQLite file, the Chain's stores and genesis write, a
 * ManualClock at each epoch's proposal time — then read back from SQLite: every stored header, epoch
 * hash, proposal, vote and certificate must be the vector's, byte for byte, and a fresh Chain opened on
 * the file must load the committed tip and the final state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, parseJson, type JsonValue } from '../../src-main/protocol/canonical-json.js';
import { hexToBytes } from '../../src-main/protocol/bytes.js';
import { genesisHash, validateGenesis, type Genesis } from '../../src-main/protocol/genesis.js';
import { validateBody } from '../../src-main/protocol/epoch/body.js';
import { stateRoot, type ChainState } from '../../src-main/protocol/epoch/state.js';
import { openDatabase } from '../../src-main/node/db/open.js';
import { ManualClock } from '../../src-main/node/clock.js';
import { Chain } from '../../src-main/node/chain/chain.js';
import { commitEpoch } from '../../src-main/node/chain/epoch-committer.js';
import { verifyFast } from '../../src-main/node/crypto/ed25519-fast.js';
import type Database from 'better-sqlite3';
import { asObject, loadVectorsText } from '../support/vectors.js';

const obj = asObject;
const canon = (v: JsonValue | undefined) => canonicalJson(v as JsonValue);

const record = obj(parseJson(loadVectorsText('epoch-record')));
const checked = validateGenesis(obj(record.genesis));
if (!checked.ok) throw new Error(checked.problems.join('; '));
const genesis: Genesis = checked.genesis;
const validatorSeed = hexToBytes(String(record.validator_seed));
const vectorEpochs = (record.epochs as JsonValue[]).map(obj);

let dir: string;
let db: Database.Database;
let finalState: ChainState;
let lastHash: string;
const committedAt = new Map<number, number>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rc-epoch-record-'));
  db = openDatabase(join(dir, 'node.db'));
  const gHash = genesisHash(genesis);
  expect(gHash).toBe(record.genesis_hash);
  const clock = new ManualClock(genesis.genesis_time);
  const chain = new Chain({ db, genesis, genesisHash: gHash, validatorSeed, clock, verify: verifyFast });
  let state = chain.state;
  let prevHash = gHash;
  const committed = new Set<string>();
  for (const e of vectorEpochs) {
    const epoch = e.epoch as number;
    clock.advance(chain.schedule.proposalDue(epoch) - clock.now());
    const body = validateBody(obj(e.body), {
      chainId: genesis.chain_id,
      epoch,
      epochSlots: genesis.epoch_slots,
      state,
      isCommittedTxId: (id) => committed.has(id),
      verify: verifyFast,
    });
    if (!body.ok) throw new Error(`epoch ${epoch}: ${body.rule} ${body.message}`);
    const out = commitEpoch(chain.stores, {
      genesis,
      genesisHash: gHash,
      validatorSeed,
      epoch,
      prevHash,
      prevState: state,
      body: body.body,
      leftOut: [],
      now: clock.now(),
    });
    committedAt.set(epoch, Math.floor(clock.now()));
    for (const t of body.body.transfers) committed.add(t.txId);
    state = out.execution.state;
    prevHash = out.execution.epochHash;
  }
  finalState = state;
  lastHash = prevHash;
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('epoch-record vector through the node commit path', () => {
  it('stores one epoch row per vector epoch, 357 to 388', () => {
    const rows = db.prepare('SELECT epoch FROM epochs ORDER BY epoch').pluck().all() as number[];
    expect(rows).toEqual(vectorEpochs.map((e) => e.epoch));
    expect(rows[0]).toBe(357);
    expect(rows.at(-1)).toBe(388);
  });

  it.each(vectorEpochs.map((e) => [e.epoch as number, e] as const))(
    'epoch %i: stored header, epoch hash, votes and certificate equal the vector',
    (epoch, e) => {
      const row = db.prepare('SELECT * FROM epochs WHERE epoch = ?').get(epoch) as Record<string, string | number>;
      expect(row.epoch_hash).toBe(e.epoch_hash);
      expect(row.header).toBe(e.header_canonical);
      expect(canon(parseJson(String(row.header)))).toBe(canon(e.header));
      const votes = obj(parseJson(String(row.votes)));
      expect(canon(votes.proposal)).toBe(canon(e.proposal));
      expect((votes.votes as JsonValue[]).map(canon)).toEqual((e.votes as JsonValue[]).map(canon));
      expect(canon(parseJson(String(row.certificate)))).toBe(canon(e.commit));
      expect(row.committed_at).toBe(committedAt.get(epoch));
      expect(canon(obj(parseJson(String(row.body))))).toBe(canon(e.body));
    },
  );

  it('a Chain reopened on the file has the vector tip and the committed state', () => {
    const last = vectorEpochs.at(-1)!;
    expect(lastHash).toBe(last.epoch_hash);
    const reopened = new Chain({
      db,
      genesis,
      genesisHash: String(record.genesis_hash),
      validatorSeed,
      clock: new ManualClock(genesis.genesis_time),
      verify: verifyFast,
    });
    expect(reopened.tip).toEqual({ epoch: 388, epochHash: last.epoch_hash });
    expect(stateRoot(reopened.state)).toBe(stateRoot(finalState));
    const header = obj(parseJson(String(last.header_canonical)));
    expect(stateRoot(reopened.state)).toBe(header.state_root);
  });
});
