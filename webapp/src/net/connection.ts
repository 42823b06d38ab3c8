import { splitFrame } from '../protocol/frames';
import type { ClientFrame, ServerFrame } from '../protocol/types';
import { ApiError } from './rest';
import { afterClose } from './closePolicy';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface ConnectionState {
  status: ConnectionStatus;
  /** failed attempts since the last open socket */
  attempt: number;
  /** why it stopped, when it did */
  message?: string;
}

export interface ConnectionEvents {
  /** a one-time ticket for `/ws?ticket=` (POST /api/ws-ticket) */
  ticket: () => Promise<string>;
  onOpen: () => void;
  onFrame: (f: ServerFrame) => void;
  onState: (s: ConnectionState) => void;
  onSignOut: (message: string) => void;
}

/** The server closes sockets that send nothing for 90 s (`idle`); a ping well inside that keeps a quiet one open. */
const PING_EVERY_MS = 25_000;

/**
 * One WebSocket to the node, kept open: each (re)connect takes a fresh ticket, and after a close
 * the `closing` reason that preceded it decides what happens (closePolicy).
 */
export class Connection {
  private ws: WebSocket | null = null;
  private state: ConnectionState = { status: 'connecting', attempt: 0 };
  private closingReason: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(private readonly events: ConnectionEvents) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Writes a frame if the socket is open; answers whether it went out. */
  send(frame: ClientFrame): boolean {
    if (!this.isOpen) return false;
    this.ws!.send(JSON.stringify(frame));
    return true;
  }

  /** Reconnect now instead of waiting for the timer (the banner's button). */
  retryNow(): void {
    if (this.ws || this.stopped) return;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.events.onState(s);
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    let ticket: string;
    try {
      ticket = await this.events.ticket();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return this.events.onSignOut('Sign in again.');
      return this.scheduleRetry(undefined);
    }
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    this.closingReason = undefined;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.setState({ status: 'open', attempt: 0 });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_EVERY_MS);
      this.events.onOpen();
    };
    ws.onmessage = (m) => {
      if (this.ws !== ws || typeof m.data !== 'string') return;
      for (const f of splitFrame(m.data)) {
        if (f.type === 'closing') this.closingReason = f.reason;
        else this.events.onFrame(f);
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      this.scheduleRetry(this.closingReason);
    };
  }

  private scheduleRetry(reason: string | undefined): void {
    if (this.stopped) return;
    const next = afterClose(reason, this.state.attempt);
    if (next.action === 'signOut') return this.events.onSignOut(next.message);
    if (next.action === 'stop') return this.setState({ status: 'stopped', attempt: this.state.attempt, message: next.message });
    const attempt = next.resetAttempts ? 0 : this.state.attempt + 1;
    this.setState({ status: 'reconnecting', attempt });
    this.retryTimer = setTimeout(() => void this.connect(), next.delayMs);
  }
}
