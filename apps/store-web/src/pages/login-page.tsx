// The login page: a plain form that works with the keyboard alone.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { Session } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from '../components/language-switch.js';

export function LoginPage({ onLogin }: { onLogin: (session: Session) => void }) {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loginInput = useRef<HTMLInputElement>(null);
  // autofocus alone is not applied to a page rendered after load; the cursor belongs in Login.
  useEffect(() => loginInput.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.login(login.trim(), password));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <div class="login-top">
        <LanguageSwitch />
      </div>
      <form class="card login-form" onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
        <h1 id="login-title">{t('appName')}</h1>
        <h2>{t('loginTitle')}</h2>
        <label>
          {t('loginName')}
          <input
            ref={loginInput}
            name="login"
            autoComplete="username"
            required
            autoFocus
            value={login}
            onInput={(e) => setLogin(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
    </main>
  );
}
