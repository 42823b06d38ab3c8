import type { Role, Room } from '../protocol/types';
import type { ChatStore } from '../state/chatStore';
import type { RoomState } from '../state/roomState';

const RANK: Record<Role, number> = { owner: 0, admin: 1, member: 2 };

export function MemberList({ store, room, state, myRole }: { store: ChatStore; room: Room; state: RoomState; myRole: Role | null }) {
  const members = [...state.members].sort(([a, ra], [b, rb]) => RANK[ra] - RANK[rb] || a.localeCompare(b));
  const act = (p: Promise<unknown>) => p.catch((e) => { store.notice = e instanceof Error ? e.message : String(e); store.emit(); });
  return (
    <aside className="members" id="members-panel" aria-labelledby="members-title">
      <h3 id="members-title">Members</h3>
      <ul aria-label="Members">
        {members.map(([user, role]) => {
          const presence = store.presence.get(user) ?? 'offline';
          // the owner removes admins and members, an admin removes members
          const canRemove = user !== store.me && myRole !== null && myRole !== 'member' && RANK[myRole] < RANK[role];
          return (
            <li key={user}>
              <span className={`dot ${presence}`} aria-hidden="true" />
              <div className="member-info">
                <div>
                  <span className="member-name">{user}</span>
                  {user === store.me && <span className="muted"> (you)</span>}
                  {role !== 'member' && <span className="role">{role}</span>}
                </div>
                <div className="presence">{presence}</div>
                {(canRemove || (myRole === 'owner' && role !== 'owner')) && (
                  <div className="member-actions">
                    {myRole === 'owner' && role !== 'owner' && (
                      <button type="button" className="link small-text" aria-label={role === 'admin' ? `Make ${user} a member` : `Make ${user} an admin`}
                        onClick={() => act(store.setRole(room.id, user, role === 'admin' ? 'member' : 'admin'))}>
                        {role === 'admin' ? 'Make member' : 'Make admin'}
                      </button>
                    )}
                    {canRemove && (
                      <button type="button" className="link small-text danger" aria-label={`Remove ${user}`}
                        onClick={() => act(store.removeMember(room.id, user))}>Remove</button>
                    )}
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
