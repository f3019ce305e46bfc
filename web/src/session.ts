// Who is signed in, as /api/v1/auth/me says: the views hide what the role cannot do (the server still decides).

export type Me = { name: string; roles: string[] };

let current: Me | null = null;

export function setMe(me: Me | null): void { current = me; }

export function me(): Me | null { return current; }

/** Operators and administrators may change things (start and stop recording, incidents, exports, notes). */
export function canOperate(): boolean {
  return (current?.roles ?? []).some(role => role === 'operator' || role === 'admin');
}

/** Administrators delete incident clips and read the audit log (who watched what). */
export function isAdmin(): boolean {
  return (current?.roles ?? []).includes('admin');
}
