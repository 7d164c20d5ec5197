/**
 * Anchoring wired into a real node process (B.9): with `ergo` in config.json every committed epoch is
 * anchored, and `/anchor/list`, `/api/epochs` and `/metrics` report it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeErgo } from './support/fake-ergo.js';
import { getJson, startNode, tempDir, type RunningNode } from './support/node-process.js';

const ERGO_ADDRESS = '9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA';

let node: RunningNode | null = null;
let ergo: FakeErgo | null = null;
afterEach(async () => {
  await node?.stop();
  await ergo?.close();
  node = null;
  ergo = null;
});

async function until<T>(read: () => Promise<T | null>, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await read();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

describe('Ergo anchoring in the node', () => {
  it('anchors each committed epoch and reports it', async () => {
    ergo = await FakeErgo.start();
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({ ergo: { url: ergo.url, api_key: ergo.apiKey, address: ERGO_ADDRESS } }),
    );
    node = await startNode(dataDir, ['--dev', '--slot-seconds', '1', '--epoch-slots', '2']);
    const committed = await node.waitEvent((e) => e.event === 'epoch_committed');
    const epoch = committed.epoch as number;

    const anchor = await until(async () => {
      const { body } = await getJson(`${node!.url}/anchor/list`);
      const row = (body.anchors as { epoch: number; status: string; tx_id: string | null }[]).find(
        (a) => a.epoch === epoch && a.status === 'submitted',
      );
      return row ?? null;
    });
    expect(anchor.tx_id).toMatch(/^[0-9a-f]{64}$/);
    const send = ergo.sends().find((r) => JSON.stringify(r.body).includes(committed.epoch_hash as string));
    expect(send?.apiKey).toBe(ergo.apiKey);

    const { body: epochs } = await getJson(`${node.url}/api/epochs?limit=100`);
    const summary = (epochs.epochs as { epoch: number; anchor: unknown }[]).find((e) => e.epoch === epoch);
    expect(summary?.anchor).toEqual({ status: 'submitted', tx_id: anchor.tx_id });

    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    expect(metrics).toMatch(/^rustchain_anchor_backlog \d+$/m);
  });

  it('refuses to start with an invalid ergo configuration', async () => {
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ergo: { url: 'not a url' } }));
    await expect(startNode(dataDir, ['--dev'])).rejects.toThrow(/exited with 7/);
  });
});
