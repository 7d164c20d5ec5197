/**
 * Multi-validator finality (PROTOCOL.md B.7): `FinalityEngine` drives one `EpochRound` per epoch.
 * The node feeds it PROPOSAL/VOTE/COMMIT objects (from gossip or its own API) and implements
 * `RoundHooks`: build a body from the pools, validate + re-execute a body, persist the round snapshot,
 * apply a commit, fetch a missing epoch, and send outputs to the gossip layer.
 */
export { FinalityEngine, MAX_BUFFERED, type EngineParams, type Tip } from './engine.js';
export {
  EpochRound,
  type ExecuteResult,
  type FinalityOutput,
  type RoundHooks,
  type RoundParams,
  type RoundSnapshot,
  type ValidPol,
  type Verdict,
} from './round.js';
export {
  EARLY_VIEW_TOLERANCE_S,
  isViewWithinBounds,
  proposerIndex,
  viewAt,
  viewStart,
  type ViewTiming,
} from './views.js';
