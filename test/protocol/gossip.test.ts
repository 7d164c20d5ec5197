import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJson, type JsonValue } from '../../src-main/protocol/canonical-json.js';
import { hexToBytes, sha256Hex, asciiBytes } from '../../src-main/protocol/bytes.js';
import { decodeFrame, encodeFrame, FRAME_PREFIX } from '../../src-main/protocol/gossip/frames.js';
import {
  checkHello,
  checkHelloAck,
  signHello,
  signHelloAck,
  signPeerRecord,
  verifyHello,
  verifyHelloAck,
  verifyPeerRecord,
} from '../../src-main/protocol/gossip/hello.js';
import { asObject, loadVectorsText } from '../support/vectors.js';

const obj = asObject;

// Frames carry attestations with floats such as 731204.0: read with the number-preserving parser.
const g = obj(parseJson(loadVectorsText('gossip')));
const seedA = hexToBytes(String(obj(g.node_a).seed));
const seedB = hexToBytes(String(obj(g.node_b).seed));
const frames = (g.frames as JsonValue[]).map(obj);

describe('gossip frames (B.8.2)', () => {
  it('the prefix regex is the vector one', () => {
    expect(FRAME_PREFIX.source).toBe(String(g.frame_prefix_regex));
  });

  it.each(frames.map((f) => [String(f.name), String(f.text)] as const))(
    '%s: decoded and re-encoded exactly',
    (_n, text) => {
      const d = decodeFrame(text);
      if (!d.ok) throw new Error(d.message);
      const again = encodeFrame(d.type, d.payload);
      expect(again.text).toBe(text);
      expect(again.id).toBe(d.id);
    },
  );

  it('rejects a wrong id, a non-canonical payload, a bad prefix and bad JSON', () => {
    const ping = String(frames.find((f) => f.name === 'ping')!.text);
    expect(decodeFrame(ping.replace(/"id":"[0-9a-f]{32}"/, `"id":"${'0'.repeat(32)}"`))).toMatchObject({
      ok: false,
      error: 'id_mismatch',
    });
    // Whitespace and unsorted keys get past the prefix and the id check but are not canonical.
    for (const payload of [
      '{ "nonce":"c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"}',
      '{"tip_epoch":388,"re":"84d09a5957f19d36b87a8310086db470"}',
    ]) {
      const id = sha256Hex(asciiBytes(payload)).slice(0, 32);
      expect(decodeFrame(`{"type":"PONG","id":"${id}","payload":${payload}}`)).toMatchObject({
        error: 'non_canonical',
      });
    }
    expect(decodeFrame('{"type":"ping","id":"x","payload":{}}')).toMatchObject({ error: 'bad_prefix' });
    const broken = '{"nonce":';
    const bid = sha256Hex(asciiBytes(broken)).slice(0, 32);
    expect(decodeFrame(`{"type":"PING","id":"${bid}","payload":${broken}}`)).toMatchObject({ error: 'bad_json' });
  });

  it('attestation and transfer ids inside the DATA frames', () => {
    const att = decodeFrame(String(frames.find((f) => f.name === 'data_attestation')!.text));
    if (!att.ok) throw new Error('data_attestation');
    const a = obj((att.payload.objects as JsonValue[])[0]);
    expect(sha256Hex(asciiBytes(canonicalJson(a)))).toBe(g.attestation_id);
    const tr = decodeFrame(String(frames.find((f) => f.name === 'data_transfer')!.text));
    if (!tr.ok) throw new Error('data_transfer');
    const t = obj((tr.payload.objects as JsonValue[])[0]);
    const txId = sha256Hex(new Uint8Array([...asciiBytes(String(t.message)), ...hexToBytes(String(t.signature))]));
    expect(txId).toBe(g.transfer_id);
  });
});

describe('handshake objects (B.8.3) and peer records (B.8.4)', () => {
  const helloA = obj(g.hello_a);
  const helloB = obj(g.hello_b);
  const ackA = obj(g.hello_ack_a);
  const ackB = obj(g.hello_ack_b);
  const record = obj(g.peer_record_a);

  it('signing reproduces the vector objects', () => {
    expect(
      signHello(
        {
          chainId: String(g.chain_id),
          genesisHash: String(g.genesis_hash),
          listen: helloA.listen as string,
          tipEpoch: helloA.tip_epoch as number,
          timestamp: helloA.timestamp as number,
          nonce: String(helloA.nonce),
        },
        seedA,
      ),
    ).toEqual(helloA);
    expect(
      signHelloAck(
        { chainId: String(g.chain_id), peerNodeId: String(helloA.node_id), peerNonce: String(helloA.nonce) },
        seedB,
      ),
    ).toEqual(ackB);
    expect(
      signPeerRecord(
        { chainId: String(g.chain_id), listen: String(record.listen), timestamp: record.timestamp as number },
        seedA,
      ),
    ).toEqual(record);
  });

  it('signatures verify and tampering is caught', () => {
    expect(verifyHello(helloA)).toBe(true);
    expect(verifyHello(helloB)).toBe(true);
    expect(verifyHelloAck(ackA)).toBe(true);
    expect(verifyHelloAck(ackB)).toBe(true);
    expect(verifyPeerRecord(record)).toBe(true);
    expect(verifyHello({ ...helloA, tip_epoch: 999 })).toBe(false);
    expect(verifyHello({ ...helloA, extra: 1 })).toBe(false);
    expect(verifyPeerRecord({ ...record, type: 'hello' })).toBe(false);
  });

  it('receiver checks give the B.8.10 close codes', () => {
    const ctx = {
      chainId: String(g.chain_id),
      genesisHash: String(g.genesis_hash),
      ownNodeId: String(helloB.node_id),
      nowSeconds: helloA.timestamp as number,
    };
    expect(checkHello(helloA, ctx)).toBeNull();
    expect(checkHello(helloA, { ...ctx, chainId: 'other' })).toBe(4001);
    expect(checkHello(helloA, { ...ctx, nowSeconds: ctx.nowSeconds + 61 })).toBe(4003);
    expect(checkHello(helloA, { ...ctx, ownNodeId: String(helloA.node_id) })).toBe(4004);
    expect(checkHello(helloA, { ...ctx, isBanned: () => true })).toBe(4004);
    const v2 = signHello(
      {
        chainId: ctx.chainId,
        genesisHash: ctx.genesisHash,
        listen: null,
        tipEpoch: 1,
        timestamp: ctx.nowSeconds,
        nonce: 'a'.repeat(32),
      },
      seedA,
    );
    expect(checkHello({ ...v2, protocol_version: 2 }, ctx)).toBe(4002);
    const ackCtx = {
      chainId: ctx.chainId,
      peerNodeId: String(helloB.node_id),
      ownNodeId: String(helloA.node_id),
      ourNonce: String(helloA.nonce),
    };
    expect(checkHelloAck(ackB, ackCtx)).toBeNull();
    expect(checkHelloAck(ackB, { ...ackCtx, ourNonce: 'f'.repeat(32) })).toBe(4003);
  });
});
