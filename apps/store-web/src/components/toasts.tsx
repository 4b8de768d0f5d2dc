// Pop-up notifications: important ones stay (role="alert") until dismissed; others fade after a while.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';

export interface Toast {
  id: number;
  title: string;
  body?: string;
  important: boolean;
  action?: { label: string; run: () => void };
}

type Listener = (toasts: Toast[]) => void;
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

function emit(): void {
  for (const listener of listeners) listener(toasts);
}

/** The seed's ShowUserNotification(text, Important). */
export function notify(title: string, options: Omit<Toast, 'id' | 'title'> = { important: false }): number {
  const toast: Toast = { id: nextId++, title, ...options };
  toasts = [...toasts, toast];
  emit();
  if (!toast.important) setTimeout(() => dismiss(toast.id), 8000);
  return toast.id;
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function clearToasts(): void {
  toasts = [];
  emit();
}

export function Toasts() {
  const { t } = useI18n();
  const [list, setList] = useState(toasts);
  useEffect(() => {
    listeners.add(setList);
    return () => void listeners.delete(setList);
  }, []);
  return (
    <section class="toasts" aria-label={t('notificationsRegion')}>
      {list.map((toast) => (
        <div
          key={toast.id}
          class={toast.important ? 'toast important' : 'toast'}
          role={toast.important ? 'alert' : 'status'}
          data-testid="toast"
        >
          <strong class="toast-title">{toast.title}</strong>
          {toast.body && <p class="toast-body">{toast.body}</p>}
          <div class="toast-actions">
            {toast.action && (
              <button
                type="button"
                onClick={() => {
                  toast.action!.run();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button
              type="button"
              onClick={() => dismiss(toast.id)}
              aria-label={`${t('dismiss')}: ${toast.title}`}
            >
              {t('dismiss')}
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
