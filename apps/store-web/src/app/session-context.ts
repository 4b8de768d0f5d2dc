// The logged-in user, shared by every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role, Session, SessionUser } from '../api/types.js';

export interface SessionState {
  session: Session;
  user: SessionUser;
  setSession: (session: Session) => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a logged-in layout');
  return value;
}

export function hasRole(user: SessionUser, role: Role): boolean {
  return user.roles.includes(role);
}

/** Managers and administrators edit documents; a courier only reads their own. */
export function canEditOrders(user: SessionUser): boolean {
  return hasRole(user, 'Manager') || hasRole(user, 'Administrator');
}
