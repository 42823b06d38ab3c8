import { useEffect, useState } from 'react';
import type { Session } from '../net/rest';
import { ChatStore } from '../state/chatStore';
import { clearInvite, loadSession, pendingInvite, saveSession, takeInviteFromUrl } from '../state/session';
import { ChatApp } from './ChatApp';
import { SignIn } from './SignIn';

takeInviteFromUrl();

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [message, setMessage] = useState<string | null>(null);
  const [store, setStore] = useState<ChatStore | null>(null);

  useEffect(() => {
    if (!session) return;
    const s = new ChatStore(session, (m) => {
      saveSession(null);
      setMessage(m);
      setSession(null);
    });
    s.start();
    setStore(s);
    const code = pendingInvite();
    if (code) {
      clearInvite();
      s.acceptInvite(code).catch(() => {
        s.notice = 'This invite link does not work any more: it expired, was used up or was revoked.';
        s.emit();
      });
    }
    return () => {
      s.stop();
      setStore(null);
    };
  }, [session]);

  if (!session) {
    return (
      <SignIn
        message={message ?? (pendingInvite() ? 'Sign in or create an account to accept the invite.' : null)}
        onSession={(s) => {
          saveSession(s);
          setMessage(null);
          setSession(s);
        }}
      />
    );
  }
  if (!store) return null;
  return <ChatApp store={store} onSignOut={() => { saveSession(null); setSession(null); }} />;
}
