import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './client';

/** One table's contents in short: how many rows, and a checksum that ignores their order. */
export interface TableDigest {
	/** schema.table */
	table: string;
	rows: number;
	checksum: string;
}

/** A table whose contents differ between two digests, and how. */
export interface DigestDifference {
	table: string;
	expected: Omit<TableDigest, 'table'> | null;
	actual: Omit<TableDigest, 'table'> | null;
}

/**
 * Row count and checksum of every table (the app's and the migration journal), on PostgreSQL
 * and the embedded database alike. The checksum is the md5 of the rows' md5s in sorted order, so
 * it does not depend on the physical order a restore leaves the rows in, and sorting 32-character
 * hashes in the C collation neither depends on the database's locale nor holds whole rows in
 * memory. Rows are rendered in UTC so the server's time zone does not change the text.
 */
export async function tableDigests(db: Db): Promise<TableDigest[]> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`set local time zone 'UTC'`);
		const tables = await rowsOf<{ schema: string; name: string }>(
			tx,
			sql`select table_schema as schema, table_name as name from information_schema.tables
				where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
				order by table_schema, table_name`
		);
		const digests: TableDigest[] = [];
		for (const { schema, name } of tables) {
			const [row] = await rowsOf<{ rows: number; checksum: string }>(
				tx,
				sql`select count(*)::int as rows,
					md5(coalesce(string_agg(h, '' order by h collate "C"), '')) as checksum
					from (select md5(t::text) as h from ${sql.identifier(schema)}.${sql.identifier(name)} as t) as hashed`
			);
			digests.push({ table: `${schema}.${name}`, rows: row.rows, checksum: row.checksum });
		}
		return digests;
	});
}

/** The tables whose count or checksum differ, including tables present on one side only. */
export function compareDigests(expected: readonly TableDigest[], actual: readonly TableDigest[]): DigestDifference[] {
	const strip = (d: TableDigest | undefined) => (d ? { rows: d.rows, checksum: d.checksum } : null);
	const before = new Map(expected.map((d) => [d.table, d]));
	const after = new Map(actual.map((d) => [d.table, d]));
	const names = [...new Set([...before.keys(), ...after.keys()])].sort();
	return names
		.filter((name) => before.get(name)?.rows !== after.get(name)?.rows || before.get(name)?.checksum !== after.get(name)?.checksum)
		.map((name) => ({ table: name, expected: strip(before.get(name)), actual: strip(after.get(name)) }));
}
