// Users and roles (administrator): the list, roles and the blocked flag changed in place, a new user.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { Role, User } from '../api/types.js';
import { roles } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { controlProps, Field } from '../components/field.js';
import { notify } from '../components/toasts.js';

export function UsersPage() {
  const { t } = useI18n();
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [draft, setDraft] = useState({ login: '', name: '', password: '', roles: [] as Role[] });
  const [problems, setProblems] = useState<Map<string, string>>(new Map());

  useEffect(() => {
    api.users({ limit: 200 }).then(
      (page) => setUsers(page.items),
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [reload]);

  const change = async (user: User, patch: { roles?: Role[]; blocked?: boolean }) => {
    try {
      await api.updateUser(user.id, patch);
      setError(null);
      notify(t('saved'));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
    setReload((n) => n + 1);
  };

  const create = async (event: Event) => {
    event.preventDefault();
    setProblems(new Map());
    try {
      await api.createUser(draft);
      setDraft({ login: '', name: '', password: '', roles: [] });
      setError(null);
      notify(t('saved'));
      setReload((n) => n + 1);
    } catch (e) {
      if (e instanceof ApiError) {
        const map = new Map(e.problems.map((p) => [p.path.replace(/^\//, ''), p.message]));
        const field = (e.details as { field?: unknown } | undefined)?.field;
        if (typeof field === 'string') map.set(field, e.message);
        setProblems(map);
        setError(e.message);
      } else setError(String(e));
    }
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('usersTitle')}</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {users && (
        <table class="grid" aria-labelledby="users-title">
          <thead>
            <tr>
              <th scope="col">{t('login')}</th>
              <th scope="col">{t('name')}</th>
              {roles.map((r) => (
                <th key={r} scope="col">
                  {t(`role_${r}`)}
                </th>
              ))}
              <th scope="col">{t('blocked')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.login}</td>
                <td>{u.name}</td>
                {roles.map((r) => (
                  <td key={r}>
                    <input
                      type="checkbox"
                      aria-label={`${t(`role_${r}`)}: ${u.login}`}
                      checked={u.roles.includes(r)}
                      onChange={() =>
                        void change(u, {
                          roles: u.roles.includes(r) ? u.roles.filter((x) => x !== r) : [...u.roles, r],
                        })
                      }
                    />
                  </td>
                ))}
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t('blocked')}: ${u.login}`}
                    checked={u.blocked}
                    onChange={() => void change(u, { blocked: !u.blocked })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="card" onSubmit={(event) => void create(event)} aria-labelledby="new-user-title">
        <h2 id="new-user-title">{t('newUser')}</h2>
        {(['login', 'name'] as const).map((f) => (
          <Field key={f} label={t(f)} error={problems.get(f)} controlId={`user-${f}`}>
            <input
              name={f}
              autoComplete="off"
              value={draft[f]}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setDraft((d) => ({ ...d, [f]: value }));
              }}
              {...controlProps(`user-${f}`, problems.get(f))}
            />
          </Field>
        ))}
        <Field label={t('password')} error={problems.get('password')} controlId="user-password">
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onInput={(e) => {
              const value = e.currentTarget.value;
              setDraft((d) => ({ ...d, password: value }));
            }}
            {...controlProps('user-password', problems.get('password'))}
          />
        </Field>
        <fieldset>
          <legend>{t('rolesLabel')}</legend>
          {roles.map((r) => (
            <label key={r} class="check">
              <input
                type="checkbox"
                checked={draft.roles.includes(r)}
                onChange={() =>
                  setDraft((d) => ({
                    ...d,
                    roles: d.roles.includes(r) ? d.roles.filter((x) => x !== r) : [...d.roles, r],
                  }))
                }
              />
              {t(`role_${r}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('create')}</button>
      </form>
    </section>
  );
}
