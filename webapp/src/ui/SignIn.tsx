import { useState, type FormEvent } from 'react';
import { ChatIcon } from './icons';
import { ApiError, signIn, signUp, type Session } from '../net/rest';

const WHY: Record<string, string> = {
  unauthorized: 'Wrong username or password.',
  conflict: 'That username is taken.',
  rate_limited: 'Too many tries. Wait a moment and try again.',
};

export function SignIn({ onSession, message }: { onSession: (s: Session) => void; message: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function go(e: FormEvent, how: 'in' | 'up') {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(await (how === 'in' ? signIn : signUp)(username.trim(), password));
    } catch (err) {
      setError(err instanceof ApiError ? WHY[err.code] ?? err.message : 'Something went wrong.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card" onSubmit={(e) => go(e, 'in')} aria-labelledby="signin-title">
        <div className="brand"><ChatIcon size={40} /></div>
        <h1 id="signin-title">pekko-chat</h1>
        <p className="muted">Sign in, or create an account to start chatting.</p>
        {message && <p className="info" role="note">{message}</p>}
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required minLength={3} maxLength={32}
          pattern="[A-Za-z0-9_.\-]+" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus
          aria-describedby="username-hint" />
        <small id="username-hint" className="muted">3–32 letters, digits, _ . or -</small>
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required minLength={8}
          maxLength={128} value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="password-hint" />
        <small id="password-hint" className="muted">at least 8 characters</small>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>Sign in</button>
          <button type="button" disabled={busy} onClick={(e) => {
            const form = e.currentTarget.form!;
            if (form.reportValidity()) void go(e, 'up');
          }}>Create account</button>
        </div>
      </form>
    </main>
  );
}
