import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { organizations } from '../db/schema';

export type Organization = typeof organizations.$inferSelect;

/**
 * The organisation a login form belongs to: the one whose host matches the request,
 * else the only (or first created) one. One deployment may serve several municipalities.
 */
export async function organizationForHost(db: DbOrTx, host: string | null): Promise<Organization | null> {
	if (host) {
		const hostname = host.replace(/:\d+$/, '').toLowerCase();
		const [byHost] = await db.select().from(organizations).where(eq(organizations.host, hostname));
		if (byHost) return byHost;
	}
	const [first] = await db.select().from(organizations).orderBy(asc(organizations.createdAt)).limit(1);
	return first ?? null;
}

export async function getOrganization(db: DbOrTx, id: string): Promise<Organization | null> {
	const [org] = await db.select().from(organizations).where(eq(organizations.id, id));
	return org ?? null;
}
