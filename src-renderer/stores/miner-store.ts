import { create } from 'zustand';
import type { MinerStatus } from '../../src-main/app/contract.js';

interface MinerStore {
  status: MinerStatus | null;
  setStatus: (status: MinerStatus) => void;
}

export const useMinerStore = create<MinerStore>((set) => ({
  status: null,
  setStatus: (status) => set({ status }),
}));
