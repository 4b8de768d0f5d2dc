// The administrator's page for the collaboration system: the status panel and the seed's
// "Start working with the collaboration system" command with the report it returns.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { AdminStatus, StartReport } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../app/session-context.js';

export function AdminPage() {
  const { t } = useI18n();
  const { session, setSession } = useSession();
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const [report, setReport] = useState<StartReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api
      .adminStatus()
      .then(setStatus, (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [reload]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api.startCollab());
      setReload((n) => n + 1);
      if (!session.collab.registered) setSession(await api.session());
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const yesNo = (value: boolean) => (value ? t('yes') : t('no'));
  const list = (items: Array<{ login: string }>) =>
    items.length ? items.map((i) => i.login).join(', ') : t('none');

  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">{t('adminTitle')}</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <section class="card" aria-labelledby="status-title">
        <h2 id="status-title">{t('statusPanel')}</h2>
        {status && (
          <dl class="status" data-testid="admin-status">
            <dt>{t('registered')}</dt>
            <dd data-testid="status-registered">{yesNo(status.registered)}</dd>
            <dt>{t('participants')}</dt>
            <dd data-testid="status-participants">{status.serviceConversation.participants}</dd>
            <dt>{t('connectedClients')}</dt>
            <dd data-testid="status-connected">{status.connectedClients}</dd>
            <dt>{t('lastSeq')}</dt>
            <dd>{status.serviceConversation.lastSeq}</dd>
            <dt>{t('usersCount')}</dt>
            <dd>{status.users}</dd>
            <dt>{t('couriersCount')}</dt>
            <dd>{status.couriers}</dd>
            <dt>{t('needsRepair')}</dt>
            <dd>{yesNo(status.needsRepair)}</dd>
            <dt>{t('storage')}</dt>
            <dd>
              {status.storage} / {status.broker}
            </dd>
          </dl>
        )}
        <button type="button" onClick={() => setReload((n) => n + 1)}>
          {t('refresh')}
        </button>
      </section>
      <button type="button" class="primary" disabled={busy} onClick={() => void start()}>
        {t('startCollab')}
      </button>
      {report && (
        <section class="card" aria-labelledby="report-title" data-testid="start-report" role="status">
          <h2 id="report-title">{t('startReport')}</h2>
          {!report.changed ? (
            <p>{t('reportNothing')}</p>
          ) : (
            <ul>
              <li>{t('reportRegistered', { value: yesNo(report.registered) })}</li>
              <li>{t('reportConversation', { value: yesNo(report.conversationCreated) })}</li>
              <li>{t('reportUsersCreated', { list: list(report.usersCreated) })}</li>
              <li>{t('reportAdded', { list: list(report.participantsAdded) })}</li>
              <li>{t('reportRemoved', { list: list(report.participantsRemoved) })}</li>
            </ul>
          )}
        </section>
      )}
    </section>
  );
}
