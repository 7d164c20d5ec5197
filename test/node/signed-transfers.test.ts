/**
 * The ordered script of vectors/signed-transfers.json replayed against a real node process whose
 * genesis funds the sender with 100 RTC on chain rustchain-mainnet-v2: every answer has the status and
 * error/code strings of the `ours` entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVectors } from '../support/vectors.js';
import { createGenesis, getJson, postText, startNode, tempDir, type RunningNode } from './support/node-process.js';

interface Case {
  name: string;
  body_text: string;
  ours: { status: number; error?: string; code?: string };
  tx_hash?: string;
}
const vectors = loadVectors('signed-transfers') as {
  chain_id: string;
  sender: { address: string; start_balance_i64: number };
  cases: Case[];
};

let node: RunningNode;

beforeAll(async () => {
  const dir = tempDir();
  const g = createGenesis({
    dir,
    chainId: vectors.chain_id,
    allocs: { [vectors.sender.address]: vectors.sender.start_balance_i64 },
  });
  node = await startNode(`${dir}/data`, ['--genesis', g.genesis, '--validator-key', g.validatorKey]);
}, 30_000);

afterAll(async () => {
  expect(await node.stop()).toBe(0);
});

describe('signed-transfers.json against our node', () => {
  it('answers every case in order as `ours` says', async () => {
    const accepted: string[] = [];
    for (const c of vectors.cases) {
      const r = await postText(`${node.url}/wallet/transfer/signed`, c.body_text);
      expect({ name: c.name, status: r.status }).toEqual({ name: c.name, status: c.ours.status });
      if (c.ours.error !== undefined)
        expect({ name: c.name, error: r.body.error }).toEqual({ name: c.name, error: c.ours.error });
      if (c.ours.code !== undefined)
        expect({ name: c.name, code: r.body.code }).toEqual({ name: c.name, code: c.ours.code });
      if (r.status === 200) {
        expect(r.body.phase).toBe('pending');
        if (c.tx_hash) expect(r.body.tx_hash).toBe(c.tx_hash);
        accepted.push(r.body.tx_hash as string);
      }
    }
    expect(accepted.length).toBe(vectors.cases.filter((c) => c.ours.status === 200).length);
    for (const h of accepted) {
      const t = await getJson(`${node.url}/wallet/tx/${h}`);
      expect(t.status).toBe(200);
      expect(t.body.status).toBe('pending');
    }
    const bal = await getJson(`${node.url}/wallet/balance?address=${vectors.sender.address}`);
    expect(bal.body.amount_i64).toBe(vectors.sender.start_balance_i64);
    expect(bal.body.pending_out_i64).toBeGreaterThan(0);
    expect(bal.body.available_i64).toBe(bal.body.amount_i64 - bal.body.pending_out_i64);
  });
});
