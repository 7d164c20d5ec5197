import { create } from 'zustand';
import type { NodeStatus } from '../../src-main/app/contract.js';

interface NodeStore {
  status: NodeStatus | null;
  setStatus: (status: NodeStatus) => void;
}

export const useNodeStore = create<NodeStore>((set) => ({
  status: null,
  setStatus: (status) => set({ status }),
}));
