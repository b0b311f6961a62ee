// The sign-in form: email and password, errors read out to screen readers.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/http';
import type { Strings } from './i18n';
import { LangSwitch } from './LangSwitch';
import type { Store } from './store';

// `note`: why signing in is asked for here (an invitation link waiting behind it).
export function SignIn({ store, t, note }: { store: Store; t: Strings; note?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<keyof Strings | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email.trim() || !password) return setError('errMissing');
    setBusy(true);
    setError(null);
    try {
      await store.signIn(email.trim(), password);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : -1;
      setError(status === 401 ? 'errWrongPassword' : status === 429 ? 'errTooMany' : status === 400 ? 'errMissing' : status === 0 ? 'errNetwork' : 'errGeneric');
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="signin-page">
      <div class="signin-lang">
        <LangSwitch store={store} t={t} />
      </div>
      <main class="signin-card" aria-labelledby="signin-title">
        <div class="brand brand-large" aria-hidden="true">
          <span class="brand-mark">K</span>
        </div>
        <h1 id="signin-title">{t.signInTitle}</h1>
        <p class="signin-lead">{t.signInLead}</p>
        {note && (
          <p class="signin-note" data-testid="signin-note">
            {note}
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <label class="field">
            <span>{t.email}</span>
            <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} aria-invalid={error === 'errWrongPassword' || error === 'errMissing'} />
          </label>
          <label class="field">
            <span>{t.password}</span>
            <input type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} aria-invalid={error === 'errWrongPassword' || error === 'errMissing'} />
          </label>
          <div class="form-error" role="alert">
            {error ? (t[error] as string) : ''}
          </div>
          <button type="submit" class="button button-primary button-block" disabled={busy}>
            {busy ? t.signingIn : t.signIn}
          </button>
        </form>
      </main>
    </div>
  );
}
