// The application: loads the session, shows the login page or the layout with the page the URL
// names, and runs the courier session for couriers.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import { setUnauthenticatedHandler } from '../api/http.js';
import type { Session } from '../api/types.js';
import { I18nContext, initialLanguage, saveLanguage, translator } from '../i18n/i18n.js';
import type { Language } from '../i18n/i18n.js';
import { LoginPage } from '../pages/login-page.js';
import { CourierContext } from '../courier/courier-context.js';
import { useCourierSession } from '../courier/use-courier-session.js';
import { clearToasts } from '../components/toasts.js';
import { Layout } from './layout.js';
import { Routes } from './routes.js';
import { usePath } from './router.js';
import { SessionContext } from './session-context.js';

export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage());
  const [session, setSession] = useState<Session | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const path = usePath();
  const i18n = useMemo(
    () => ({
      language,
      t: translator(language),
      setLanguage: (next: Language) => {
        saveLanguage(next);
        setLanguageState(next);
      },
    }),
    [language],
  );

  useEffect(() => {
    saveLanguage(language);
    api.session().then(setSession, (e: unknown) => setFailed(String(e)));
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setSession((s) => (s ? { ...s, user: null, csrf: null } : s));
    });
    return () => setUnauthenticatedHandler(null);
  }, []);

  // A courier whose collaboration system is not started yet picks it up once the administrator
  // starts it, without a reload.
  useEffect(() => {
    if (!session?.user?.roles.includes('Courier') || session.collab.registered) return;
    const timer = setInterval(() => {
      api.session().then(
        (next) => next.collab.registered && setSession(next),
        () => {},
      );
    }, 15_000);
    return () => clearInterval(timer);
  }, [session]);

  const courier = useCourierSession(session ?? emptySession, i18n.t);

  let body;
  if (!session) {
    body = (
      <p class="loading" role="status">
        {failed ?? i18n.t('loading')}
      </p>
    );
  } else if (!session.user) {
    body = (
      <LoginPage
        onLogin={(next) => {
          clearToasts();
          setSession(next);
        }}
      />
    );
  } else {
    body = (
      <SessionContext.Provider value={{ session, user: session.user, setSession }}>
        <CourierContext.Provider value={courier}>
          <Layout path={path}>
            <Routes path={path} />
          </Layout>
        </CourierContext.Provider>
      </SessionContext.Provider>
    );
  }
  return <I18nContext.Provider value={i18n}>{body}</I18nContext.Provider>;
}

const emptySession: Session = {
  user: null,
  csrf: null,
  collab: { registered: false, serviceConversationKey: '' },
};
