/** Fan-out of the contract's pushed events to every connected UI (IPC windows, WebSocket clients). */
import type { AnyEvent, EventName, EventPayload } from './contract.js';

export type EventListener = (event: AnyEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();
  /** The latest payload per event name, so a UI that connects late starts from the current state. */
  private readonly latest = new Map<EventName, AnyEvent>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const event = { name, payload } as AnyEvent;
    // Transfers are individual updates, not a state; everything else replaces the previous value.
    if (name !== 'wallet.transfer') this.latest.set(name, event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener, replayLatest = true): () => void {
    this.listeners.add(listener);
    if (replayLatest) for (const event of this.latest.values()) listener(event);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
