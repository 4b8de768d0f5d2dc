// Asks the courier once, politely and only on their click, whether to show browser notifications.
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { askPermission, shouldAskPermission } from './browser-notification.js';

export function PermissionBanner() {
  const { t } = useI18n();
  const [visible, setVisible] = useState(shouldAskPermission());
  if (!visible) return null;
  const answer = (allow: boolean) => {
    setVisible(false);
    void askPermission(allow);
  };
  return (
    <aside class="banner" aria-label={t('notificationsRegion')}>
      <span>{t('askNotifications')}</span>
      <button type="button" onClick={() => answer(true)}>
        {t('allow')}
      </button>
      <button type="button" onClick={() => answer(false)}>
        {t('notNow')}
      </button>
    </aside>
  );
}
