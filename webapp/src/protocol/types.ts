// The wire shapes of ../shared/PROTOCOL.md that the client reads and writes.

export type Visibility = 'public' | 'private';
export type Role = 'owner' | 'admin' | 'member';
export type Presence = 'online' | 'away' | 'offline';

export interface Room {
  id: string;
  name: string;
  visibility: Visibility;
  owner: string;
  createdAt: number;
  seq: number;
  role: Role | null;
}

export interface Member {
  user: string;
  role: Role;
  presence?: Presence;
}

interface EventBase {
  room: string;
  seq: number;
  ts: number;
  user: string;
}

export interface MessageEvent extends EventBase { type: 'message'; text: string; clientId: string }
export interface EditedEvent extends EventBase { type: 'edited'; target: number; text: string }
export interface DeletedEvent extends EventBase { type: 'deleted'; target: number }
export interface MemberEvent extends EventBase {
  type: 'member';
  target: string;
  action: 'joined' | 'left' | 'removed' | 'role';
  role?: Role;
}

/** A stored, sequenced timeline event. */
export type TimelineEvent = MessageEvent | EditedEvent | DeletedEvent | MemberEvent;

export interface Joined {
  type: 'joined';
  room: string;
  seq: number;
  firstSeq: number;
  members: Member[];
  reads: Record<string, number>;
  ref?: string;
}

export interface Ack { type: 'ack'; room: string; clientId?: string; seq: number; ts: number; ref?: string }
export interface ErrorFrame { type: 'error'; code: string; message: string; ref?: string }
export interface Closing { type: 'closing'; reason: string; message: string }

export type ServerFrame =
  | TimelineEvent
  | Joined
  | Ack
  | ErrorFrame
  | Closing
  | { type: 'left'; room: string; ref?: string }
  | { type: 'pong'; ref?: string }
  | { type: 'typing'; room: string; user: string }
  | { type: 'read'; room: string; user: string; seq: number }
  | { type: 'presence'; user: string; status: Presence };

export type ClientFrame =
  | { type: 'join'; room: string; lastSeq?: number; ref?: string }
  | { type: 'leave'; room: string }
  | { type: 'send'; room: string; clientId: string; text: string; ref: string }
  | { type: 'edit'; room: string; target: number; text: string }
  | { type: 'delete'; room: string; target: number }
  | { type: 'typing'; room: string }
  | { type: 'read'; room: string; seq: number }
  | { type: 'presence'; status: 'online' | 'away' }
  | { type: 'ping' };

export function isTimelineEvent(f: ServerFrame): f is TimelineEvent {
  return f.type === 'message' || f.type === 'edited' || f.type === 'deleted' || f.type === 'member';
}
