// A browser (system) notification for when the tab is hidden; permission is asked once, politely,
// from a button the courier presses, never by surprise.
const askedKey = 'vestnik.notifications.asked';

export function browserNotificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/** True when the courier has not been asked yet and the browser would ask. */
export function shouldAskPermission(): boolean {
  return (
    browserNotificationsSupported() &&
    Notification.permission === 'default' &&
    !localStorage.getItem(askedKey)
  );
}

export async function askPermission(allow: boolean): Promise<void> {
  localStorage.setItem(askedKey, allow ? 'asked' : 'declined');
  if (allow && browserNotificationsSupported()) await Notification.requestPermission();
}

/** Shows a system notification if the tab is hidden and it is allowed; clicking it brings the tab back. */
export function showBrowserNotification(
  title: string,
  body: string,
  tag: string,
  onClick: () => void,
): boolean {
  if (!browserNotificationsSupported() || document.visibilityState !== 'hidden') return false;
  if (Notification.permission !== 'granted') return false;
  const notification = new Notification(title, { body, tag, requireInteraction: true });
  notification.onclick = () => {
    window.focus();
    onClick();
    notification.close();
  };
  return true;
}
