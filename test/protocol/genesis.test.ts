import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJson, type JsonObject } from '../../src-main/protocol/canonical-json.js';
import { genesisHash, quorum, validateGenesis } from '../../src-main/protocol/genesis.js';
import { loadVectors, loadVectorsText } from '../support/vectors.js';

const record = loadVectors('epoch-record');
const genesisJson = (parseJson(loadVectorsText('epoch-record')) as JsonObject).genesis as JsonObject;

function withChange(change: (g: JsonObject) => void): JsonObject {
  const g = parseJson(canonicalJson(genesisJson)) as JsonObject;
  change(g);
  return g;
}

function problemsOf(g: JsonObject): string[] {
  const r = validateGenesis(g);
  return r.ok ? [] : r.problems;
}

describe('genesis (B.0)', () => {
  it('the vector genesis is valid, canonical and hashes to genesis_hash', () => {
    const r = validateGenesis(genesisJson);
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(canonicalJson(genesisJson)).toBe(record.genesis_canonical);
    expect(genesisHash(r.genesis)).toBe(record.genesis_hash);
  });

  const refusals: [string, (g: JsonObject) => unknown, RegExp][] = [
    ['unknown key', (g: JsonObject) => (g.extra = 1), /unknown key/],
    ['missing key', (g: JsonObject) => delete g.first_epoch, /missing key first_epoch/],
    ['bad chain id', (g: JsonObject) => (g.chain_id = 'has space'), /chain_id/],
    ['protocol 2', (g: JsonObject) => (g.protocol_version = 2), /protocol_version/],
    ['slot 0', (g: JsonObject) => (g.slot_seconds = 0), /slot_seconds/],
    ['float epoch_slots', (g: JsonObject) => (g.epoch_slots = 144.5), /epoch_slots/],
    ['negative grace', (g: JsonObject) => (g.grace_seconds = -1), /grace_seconds/],
    ['pot above cap', (g: JsonObject) => (g.epoch_pot_i64 = 8_388_608_000_001), /epoch_pot_i64/],
    ['no validators', (g: JsonObject) => (g.validators = []), /validators must be/],
    [
      'upper-case validator key',
      (g: JsonObject) =>
        (g.validators = [{ public_key: '17CB79FB2B4120F2B1EC65E4198D6E08B28E813FEB01E4A400839B85E18080CE' }]),
      /public_key/,
    ],
    [
      'small-order validator key',
      (g: JsonObject) => (g.validators = [{ public_key: '01' + '0'.repeat(62) }]),
      /public_key/,
    ],
    [
      'non-canonical validator key',
      (g: JsonObject) => (g.validators = [{ public_key: 'ee' + 'f'.repeat(60) + '7f' }]),
      /public_key/,
    ],
    [
      'duplicate validators',
      (g: JsonObject) => (g.validators = [(g.validators as JsonObject[])[0]!, (g.validators as JsonObject[])[0]!]),
      /listed twice/,
    ],
    ['validator extra key', (g: JsonObject) => ((g.validators as JsonObject[])[0]!.weight = 1), /unknown key/],
    [
      'duplicate allocation',
      (g: JsonObject) => (g.allocations = [(g.allocations as JsonObject[])[0]!, (g.allocations as JsonObject[])[0]!]),
      /listed twice/,
    ],
    ['zero allocation', (g: JsonObject) => ((g.allocations as JsonObject[])[0]!.amount_i64 = 0), /amount_i64/],
    [
      'upper-case allocation address',
      (g: JsonObject) => ((g.allocations as JsonObject[])[0]!.address = 'RTCADA8E3423E041D247DCA60598E6D3D8834161FE5'),
      /address/,
    ],
    [
      'allocations above the cap',
      (g: JsonObject) =>
        (g.allocations = [
          { address: 'RTC' + 'a'.repeat(40), amount_i64: 8_000_000_000_000 },
          { address: 'RTC' + 'b'.repeat(40), amount_i64: 388_608_000_001 },
        ]),
      /supply cap/,
    ],
  ];
  it.each(refusals)('refuses: %s', (_name, change, expected) => {
    const problems = problemsOf(withChange(change));
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  it('accepts empty allocations and allocations summing exactly to the cap', () => {
    expect(problemsOf(withChange((g) => (g.allocations = [])))).toEqual([]);
    expect(
      problemsOf(
        withChange((g) => (g.allocations = [{ address: 'RTC' + 'a'.repeat(40), amount_i64: 8_388_608_000_000 }])),
      ),
    ).toEqual([]);
  });

  it('quorum q = n − floor((n − 1) / 3) (B.7.1)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(quorum)).toEqual([1, 2, 3, 3, 4, 5, 5, 7]);
  });
});
