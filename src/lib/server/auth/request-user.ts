import { and, eq, sql } from 'drizzle-orm';
import { preparedPerDb, type DbOrTx } from '../db/client';
import { departments, organizations, people, sessions } from '../db/schema';
import { currentUserFields, userFromRow, type CurrentUser } from './current-user';
import { keepAlive, sessionIdFromToken, type Session, type SessionPolicy } from './session';

/**
 * The session a cookie names and its person, in one query: every request asks this before
 * anything else. Null when the session is unknown or has ended (then it is deleted), or when its
 * person is gone or deactivated — a deactivated person's session ends at their next request.
 */
export async function requestUser(db: DbOrTx, token: string, policy: SessionPolicy, now = new Date()): Promise<{ session: Session; user: CurrentUser } | null> {
	const [row] = await sessionWithPerson(db).execute({ sessionId: sessionIdFromToken(token) });
	if (!row) return null;
	const session = await keepAlive(db, row.session, policy, now);
	const user = userFromRow(row.user);
	return session && user ? { session, user } : null;
}

// Prepared: every request runs it, and PostgreSQL would otherwise parse and plan the join each time.
const sessionWithPerson = preparedPerDb((db) =>
	db
		.select({ session: sessions, user: currentUserFields })
		.from(sessions)
		.innerJoin(people, and(eq(people.id, sessions.personId), eq(people.orgId, sessions.orgId)))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.where(eq(sessions.id, sql.placeholder('sessionId')))
		.prepare('mamori_request_user')
);
