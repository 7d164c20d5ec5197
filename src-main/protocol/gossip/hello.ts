/**
 * Handshake objects and peer records (PROTOCOL.md B.8.3, B.8.4): signed by the node key, exactly the
 * listed keys. The connection-level checks (clock skew, own id, bans) live with the gossip service; the
 * `check*` helpers here return the B.8.10 close code a failed check calls for.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../canonical-json.js';
import { verifyStrict, type Verifier } from '../keys.js';
import {
  HEX32,
  HEX64,
  hasExactKeys,
  isSafeInt,
  publicKeyHexFromSeed,
  signObject,
  verifyObjectSignature,
} from '../signed-object.js';

export const PROTOCOL_VERSION = 1;
export const HELLO_KEYS = [
  'type',
  'chain_id',
  'genesis_hash',
  'protocol_version',
  'node_id',
  'listen',
  'tip_epoch',
  'timestamp',
  'nonce',
  'signature',
];
export const HELLO_ACK_KEYS = ['type', 'chain_id', 'node_id', 'peer_node_id', 'peer_nonce', 'signature'];
export const PEER_RECORD_KEYS = ['type', 'chain_id', 'node_id', 'listen', 'timestamp', 'signature'];

export const CLOSE = {
  wrongChain: 4001,
  unsupportedVersion: 4002,
  badHandshake: 4003,
  banned: 4004,
} as const;

export interface Hello extends JsonObject {
  type: 'hello';
  chain_id: string;
  genesis_hash: string;
  protocol_version: number;
  node_id: string;
  listen: string | null;
  tip_epoch: number;
  timestamp: number;
  nonce: string;
  signature: string;
}

export interface HelloAck extends JsonObject {
  type: 'hello_ack';
  chain_id: string;
  node_id: string;
  peer_node_id: string;
  peer_nonce: string;
  signature: string;
}

export interface PeerRecord extends JsonObject {
  type: 'peer';
  chain_id: string;
  node_id: string;
  listen: string;
  timestamp: number;
  signature: string;
}

const LISTEN_RE = /^ws:\/\/[^\s/]+:[0-9]{1,5}$/;

export function signHello(
  h: {
    chainId: string;
    genesisHash: string;
    listen: string | null;
    tipEpoch: number;
    timestamp: number;
    nonce: string;
  },
  nodeSeed: Uint8Array,
): Hello {
  return signObject(
    {
      type: 'hello',
      chain_id: h.chainId,
      genesis_hash: h.genesisHash,
      protocol_version: PROTOCOL_VERSION,
      node_id: publicKeyHexFromSeed(nodeSeed),
      listen: h.listen,
      tip_epoch: h.tipEpoch,
      timestamp: h.timestamp,
      nonce: h.nonce,
    },
    nodeSeed,
  ) as Hello;
}

export function signHelloAck(
  a: { chainId: string; peerNodeId: string; peerNonce: string },
  nodeSeed: Uint8Array,
): HelloAck {
  return signObject(
    {
      type: 'hello_ack',
      chain_id: a.chainId,
      node_id: publicKeyHexFromSeed(nodeSeed),
      peer_node_id: a.peerNodeId,
      peer_nonce: a.peerNonce,
    },
    nodeSeed,
  ) as HelloAck;
}

export function signPeerRecord(
  r: { chainId: string; listen: string; timestamp: number },
  nodeSeed: Uint8Array,
): PeerRecord {
  return signObject(
    {
      type: 'peer',
      chain_id: r.chainId,
      node_id: publicKeyHexFromSeed(nodeSeed),
      listen: r.listen,
      timestamp: r.timestamp,
    },
    nodeSeed,
  ) as PeerRecord;
}

/** Shape of a HELLO (exact keys and types); says nothing about the signature. */
export function isHelloShape(v: JsonValue): v is Hello {
  return (
    isJsonObject(v) &&
    hasExactKeys(v, HELLO_KEYS) &&
    v.type === 'hello' &&
    typeof v.chain_id === 'string' &&
    typeof v.genesis_hash === 'string' &&
    HEX64.test(v.genesis_hash) &&
    isSafeInt(v.protocol_version) &&
    typeof v.node_id === 'string' &&
    HEX64.test(v.node_id) &&
    (v.listen === null || (typeof v.listen === 'string' && LISTEN_RE.test(v.listen))) &&
    isSafeInt(v.tip_epoch) &&
    isSafeInt(v.timestamp) &&
    typeof v.nonce === 'string' &&
    HEX32.test(v.nonce)
  );
}

export function verifyHello(v: JsonValue, verify: Verifier = verifyStrict): v is Hello {
  return isHelloShape(v) && verifyObjectSignature(v, 'node_id', verify);
}

export interface HelloContext {
  chainId: string;
  genesisHash: string;
  ownNodeId: string;
  nowSeconds: number;
  isBanned?: (nodeId: string) => boolean;
  verify?: Verifier;
}

/** B.8.3 receiver checks of a peer's HELLO, in table order: null when accepted, else the close code. */
export function checkHello(v: JsonValue, ctx: HelloContext): number | null {
  if (!isHelloShape(v)) {
    // A wrong network is reported as such even when the rest is malformed.
    if (isJsonObject(v) && (v.chain_id !== ctx.chainId || v.genesis_hash !== ctx.genesisHash)) {
      return CLOSE.wrongChain;
    }
    return CLOSE.badHandshake;
  }
  if (v.chain_id !== ctx.chainId || v.genesis_hash !== ctx.genesisHash) return CLOSE.wrongChain;
  if (v.protocol_version !== PROTOCOL_VERSION) return CLOSE.unsupportedVersion;
  if (Math.abs(v.timestamp - ctx.nowSeconds) > 60) return CLOSE.badHandshake;
  if (!verifyObjectSignature(v, 'node_id', ctx.verify ?? verifyStrict)) return CLOSE.badHandshake;
  if (v.node_id === ctx.ownNodeId || (ctx.isBanned?.(v.node_id) ?? false)) return CLOSE.banned;
  return null;
}

export function isHelloAckShape(v: JsonValue): v is HelloAck {
  return (
    isJsonObject(v) &&
    hasExactKeys(v, HELLO_ACK_KEYS) &&
    v.type === 'hello_ack' &&
    typeof v.chain_id === 'string' &&
    typeof v.node_id === 'string' &&
    HEX64.test(v.node_id) &&
    typeof v.peer_node_id === 'string' &&
    HEX64.test(v.peer_node_id) &&
    typeof v.peer_nonce === 'string' &&
    HEX32.test(v.peer_nonce)
  );
}

export function verifyHelloAck(v: JsonValue, verify: Verifier = verifyStrict): v is HelloAck {
  return isHelloAckShape(v) && verifyObjectSignature(v, 'node_id', verify);
}

/** B.8.3: the ACK answers our nonce, names us, and comes from the node that sent the HELLO. */
export function checkHelloAck(
  v: JsonValue,
  ctx: { chainId: string; peerNodeId: string; ownNodeId: string; ourNonce: string; verify?: Verifier },
): number | null {
  if (!verifyHelloAck(v, ctx.verify)) return CLOSE.badHandshake;
  if (v.chain_id !== ctx.chainId || v.node_id !== ctx.peerNodeId) return CLOSE.badHandshake;
  if (v.peer_node_id !== ctx.ownNodeId || v.peer_nonce !== ctx.ourNonce) return CLOSE.badHandshake;
  return null;
}

export function verifyPeerRecord(v: JsonValue, verify: Verifier = verifyStrict): v is PeerRecord {
  return (
    isJsonObject(v) &&
    hasExactKeys(v, PEER_RECORD_KEYS) &&
    v.type === 'peer' &&
    typeof v.chain_id === 'string' &&
    typeof v.node_id === 'string' &&
    HEX64.test(v.node_id) &&
    typeof v.listen === 'string' &&
    LISTEN_RE.test(v.listen) &&
    isSafeInt(v.timestamp) &&
    verifyObjectSignature(v, 'node_id', verify)
  );
}
