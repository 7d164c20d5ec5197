/**
 * 10,000 generated malformed bodies to the POST endpoints (wrong types, huge and non-finite numbers,
 * deep nesting, invalid UTF-8, missing fields, truncations): zero 5xx, the node stays up, and nothing
 * in the chain state or the pools changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor, transferBody } from './support/actors.js';
import { createGenesis, getJson, postText, startNode, tempDir, type RunningNode } from './support/node-process.js';

const CHAIN = 'rustchain-devnet-fuzz';
const sender = actor(0x31);
const ENDPOINTS = ['/wallet/transfer/signed', '/attest/submit', '/epoch/enroll', '/attest/challenge'];
const TOTAL = 10_000;

let node: RunningNode;
beforeAll(async () => {
  const dir = tempDir();
  const g = createGenesis({ dir, chainId: CHAIN, allocs: { [sender.address]: 5_000_000 } });
  node = await startNode(`${dir}/data`, [
    '--genesis',
    g.genesis,
    '--validator-key',
    g.validatorKey,
    '--no-rate-limits',
  ]);
}, 30_000);
afterAll(async () => {
  expect(await node.stop()).toBe(0);
});

let seed = 0x9e3779b9;
const rand = () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6b) >>> 0) / 2 ** 32;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const valid = JSON.parse(transferBody(sender, actor(0x32).address, 1000n, 1n, CHAIN, 'fuzz').text) as Record<
  string,
  unknown
>;
const WEIRD_VALUES = [
  'null',
  'true',
  '[]',
  '{}',
  '""',
  '"x"',
  '-0',
  '1e999',
  '-1e999',
  'NaN',
  'Infinity',
  '-Infinity',
  '123456789012345678901234567890',
  '1.7976931348623157e309',
  '0.0000000000000000000001',
  '"\\ud800"',
  '"' + 'a'.repeat(5000) + '"',
  '['.repeat(600) + ']'.repeat(600),
  '{"a":'.repeat(300) + '1' + '}'.repeat(300),
];

function mutatedTransfer(): string {
  const body: Record<string, unknown> = { ...valid };
  const keys = Object.keys(body);
  const mode = Math.floor(rand() * 4);
  if (mode === 0) delete body[pick(keys)];
  const text = JSON.stringify(body);
  const key = pick(keys.filter((k) => k in body));
  // Replace one value by a raw weird token (keeps the rest of the object intact). Every key of the
  // valid body is signed or required, so each mutation makes it invalid.
  return text.replace(new RegExp(`"${key}":("[^"]*"|[^,}]*)`), `"${key}":${pick(WEIRD_VALUES)}`);
}

function garbage(): string | Uint8Array {
  switch (Math.floor(rand() * 7)) {
    case 0:
      return pick(WEIRD_VALUES);
    case 1:
      return Uint8Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
    case 2:
      return new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"a":"\xff\xfe"}
    case 3:
      return mutatedTransfer().slice(0, Math.floor(rand() * 200));
    case 4:
      return '[' + pick(WEIRD_VALUES) + ']';
    case 5:
      return `{"miner":${pick(WEIRD_VALUES)},"device":${pick(WEIRD_VALUES)},"signals":${pick(WEIRD_VALUES)},"fingerprint":{"checks":${pick(WEIRD_VALUES)}},"nonce":${pick(WEIRD_VALUES)}}`;
    default:
      return `{"miner_pubkey":${pick(WEIRD_VALUES)},"signature":${pick(WEIRD_VALUES)},"public_key":${pick(WEIRD_VALUES)}}`;
  }
}

function challengeBody(): string | Uint8Array {
  // Only non-objects: a well-formed object would legitimately issue a challenge.
  const b = garbage();
  return typeof b === 'string' && b.startsWith('{') ? '[' + b + ']' : b === '{}' ? '[]' : b;
}

async function snapshot() {
  const stats = (await getJson(`${node.url}/api/stats`)).body;
  const bal = (await getJson(`${node.url}/wallet/balance?miner_id=${sender.address}`)).body;
  const pending = (await getJson(`${node.url}/pending/list?status=all&limit=500`)).body;
  const miners = (await getJson(`${node.url}/api/miners`)).body;
  return { supply: stats.total_supply_i64, bal, pending: pending.count, miners: miners.pagination.total };
}

describe('fuzzed POST bodies', () => {
  it('never answer 5xx and change nothing', async () => {
    const before = await snapshot();
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const path = ENDPOINTS[i % ENDPOINTS.length]!;
        const body = path === '/attest/challenge' ? challengeBody() : i % 3 === 0 ? mutatedTransfer() : garbage();
        const r = await postText(`${node.url}${path}`, body);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status, `${path} ${String(body).slice(0, 200)}`).toBeLessThan(500);
        expect(r.headers.get('content-type')).toBe('application/json');
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect((await getJson(`${node.url}/health`)).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  }, 180_000);
});
