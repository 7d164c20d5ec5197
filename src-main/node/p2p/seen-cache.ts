/**
 * Bounded LRU with expiry (B.8.5 seen-caches: 100,000 entries, 3600 s). Map insertion order is the
 * recency order: touching an entry re-inserts it at the end, eviction takes from the front.
 */
export class SeenCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  has(id: string): boolean {
    const at = this.entries.get(id);
    if (at === undefined) return false;
    if (this.nowMs() - at > this.ttlMs) {
      this.entries.delete(id);
      return false;
    }
    return true;
  }

  add(id: string): void {
    this.entries.delete(id);
    this.entries.set(id, this.nowMs());
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
