/**
 * The contract over the headless host's WebSocket. The token comes from the page URL's fragment
 * (`#token=…`), which the host printed. Reconnects with a capped back-off; calls made while the link is
 * down fail at once with `unavailable` instead of hanging.
 */
import type {
  AnyEvent,
  AppApi,
  AppErrorBody,
  CommandInput,
  CommandName,
  CommandResult,
  WireMessage,
} from '../../src-main/app/contract.js';
import { ApiError } from './api-error.js';

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export type LinkState = 'connecting' | 'open' | 'closed';

export class WsApi implements AppApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly listeners = new Set<(event: AnyEvent) => void>();
  private readonly linkListeners = new Set<(state: LinkState) => void>();
  private openWaiters: Array<() => void> = [];
  private retryMs = 250;
  state: LinkState = 'connecting';

  constructor(private readonly url: string) {
    this.connect();
  }

  static fromLocation(): WsApi | null {
    const token = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
    if (!token) return null;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    return new WsApi(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  }

  private setState(state: LinkState): void {
    this.state = state;
    for (const l of this.linkListeners) l(state);
  }

  private connect(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.setState('open');
      const waiters = this.openWaiters;
      this.openWaiters = [];
      for (const w of waiters) w();
    };
    socket.onmessage = (e) => this.receive(String(e.data));
    socket.onclose = () => {
      this.socket = null;
      this.setState('closed');
      const failure: AppErrorBody = { code: 'unavailable', message: 'the connection to the app was lost' };
      for (const call of this.pending.values()) call.reject(new ApiError(failure));
      this.pending.clear();
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  private receive(text: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    if (message.type === 'event') {
      const event = { name: message.name, payload: message.payload } as AnyEvent;
      for (const l of this.listeners) l(event);
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.ok) call.resolve(message.result);
    else call.reject(new ApiError(message.error));
  }

  private waitOpen(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    return new Promise((resolve) => this.openWaiters.push(resolve));
  }

  async call<C extends CommandName>(command: C, args: CommandInput<C>): Promise<CommandResult<C>> {
    await this.waitOpen();
    const socket = this.socket;
    if (!socket) throw new ApiError({ code: 'unavailable', message: 'not connected' });
    const id = this.nextId++;
    return new Promise<CommandResult<C>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ type: 'call', id, command, args }));
    });
  }

  onEvent(listener: (event: AnyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onLinkState(listener: (state: LinkState) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }
}
