/**
 * Optimistic sends. A message is pending from the moment it is typed until the room's timeline
 * holds it (matched by its clientId); an ack only notes its seq. After a reconnect every send
 * without an ack is offered again with the same clientId, which the room stores once (PROTOCOL.md
 * section 2, guarantee 4), so a message is never shown twice and never lost.
 */
export type PendingState = 'queued' | 'sent' | 'acked' | 'failed';

export interface PendingSend {
  readonly clientId: string;
  readonly room: string;
  readonly text: string;
  readonly state: PendingState;
  readonly seq?: number;
  readonly error?: string;
}

/** Errors after which the same send is tried again; any other one fails it. */
const RETRIABLE = new Set(['unavailable', 'rate_limited']);

export class PendingSends {
  private readonly byId = new Map<string, PendingSend>();

  add(room: string, text: string, clientId: string): PendingSend {
    const p: PendingSend = { clientId, room, text, state: 'queued' };
    this.byId.set(clientId, p);
    return p;
  }

  get(clientId: string): PendingSend | undefined {
    return this.byId.get(clientId);
  }

  /** Queued sends of a room, oldest first: what to write once the socket has joined it. */
  queued(room: string): PendingSend[] {
    return [...this.byId.values()].filter((p) => p.room === room && p.state === 'queued');
  }

  /** The frame went out on an open socket. */
  markSent(clientId: string): void {
    this.update(clientId, (p) => (p.state === 'queued' ? { ...p, state: 'sent' } : p));
  }

  onAck(clientId: string, seq: number): void {
    this.update(clientId, (p) => ({ ...p, state: 'acked', seq, error: undefined }));
  }

  /** An error frame answered the send (its ref is the clientId). Answers true when it will be retried. */
  onError(clientId: string, code: string, message: string): boolean {
    const retry = RETRIABLE.has(code);
    this.update(clientId, (p) => (p.state === 'acked' ? p : { ...p, state: retry ? 'queued' : 'failed', error: message }));
    return retry;
  }

  /** The socket closed: whatever was written but not acked may be lost, so it goes out again. */
  onDisconnect(): void {
    for (const p of this.byId.values()) if (p.state === 'sent') this.byId.set(p.clientId, { ...p, state: 'queued' });
  }

  /** The timeline now holds this message: it stops being pending. */
  onDelivered(clientId: string): void {
    this.byId.delete(clientId);
  }

  /** Gives up on a failed send (the user dismissed it) or queues it again (the user retried). */
  discard(clientId: string): void {
    this.byId.delete(clientId);
  }

  retry(clientId: string): void {
    this.update(clientId, (p) => (p.state === 'failed' ? { ...p, state: 'queued', error: undefined } : p));
  }

  /** A room's pending sends in the order they were typed, for display after its timeline. */
  inRoom(room: string): PendingSend[] {
    return [...this.byId.values()].filter((p) => p.room === room);
  }

  private update(clientId: string, f: (p: PendingSend) => PendingSend): void {
    const p = this.byId.get(clientId);
    if (p) this.byId.set(clientId, f(p));
  }
}

/** A clientId (1–64 chars): random, made with getRandomValues, which also works outside secure contexts. */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
