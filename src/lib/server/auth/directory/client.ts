// Talking to the directory: one short-lived connection per task, so a directory that went away
// and came back needs nothing from us. Every failure to reach it is `DirectoryUnavailable`,
// never taken for a wrong password.
import { Client, InvalidCredentialsError, type Entry } from 'ldapts';
import type { DirectoryConfig } from './config';

export class DirectoryUnavailable extends Error {}

/** RFC 4515: a value inside a filter. */
export function escapeFilterValue(value: string): string {
	return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** RFC 4514: a value inside a DN (for the direct-bind template). */
export function escapeDnValue(value: string): string {
	return value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}

/** A 職員番号 a directory can be asked about: letters, digits and . _ @ - only. */
export const directoryLoginId = /^[\p{L}\p{N}._@-]{1,64}$/u;

function newClient(config: DirectoryConfig): Client {
	return new Client({
		url: config.url,
		timeout: config.timeoutMs,
		connectTimeout: config.timeoutMs,
		tlsOptions: config.tlsCa ? { ca: [config.tlsCa] } : undefined,
		strictDN: false
	});
}

function unavailable(error: unknown): DirectoryUnavailable {
	const message = error instanceof Error ? error.message : String(error);
	return new DirectoryUnavailable(message.slice(0, 300));
}

/**
 * Runs `work` on a connection (StartTLS first when configured), bound as the search account when
 * there is one. Whatever `work` does not handle itself — no answer, a timeout, a busy server, a
 * wrong search-account password or filter (a broken setting, not the user's fault) — is unavailable.
 */
export async function withDirectory<T>(config: DirectoryConfig, work: (client: Client) => Promise<T>, bindAs: 'service' | 'none' = 'service'): Promise<T> {
	const client = newClient(config);
	try {
		try {
			if (config.startTls) await client.startTLS(config.tlsCa ? { ca: [config.tlsCa] } : {});
			if (bindAs === 'service' && config.bindDn) await client.bind(config.bindDn, config.bindPassword);
		} catch (error) {
			throw unavailable(error);
		}
		return await work(client);
	} catch (error) {
		throw error instanceof DirectoryUnavailable ? error : unavailable(error);
	} finally {
		await client.unbind().catch(() => {});
	}
}

/** The first value of an attribute, whatever case the server spells its name in. */
export function attributeValue(entry: Entry, name: string | null): string {
	return attributeValues(entry, name)[0] ?? '';
}

export function attributeValues(entry: Entry, name: string | null): string[] {
	if (!name) return [];
	const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
	if (!key) return [];
	const value = entry[key];
	const list = Array.isArray(value) ? value : [value];
	return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)));
}

export type DirectoryCheck = 'ok' | 'invalid' | 'not_found' | 'disabled';

/**
 * Checks a password against the directory: finds the person's entry (as the search account, or
 * by the DN template), binds as them, and refuses a disabled entry. Throws DirectoryUnavailable.
 */
export async function checkDirectoryPassword(config: DirectoryConfig, loginId: string, password: string): Promise<DirectoryCheck> {
	// An empty password would be an anonymous bind, which most directories accept.
	if (!password || !directoryLoginId.test(loginId)) return 'not_found';
	const personFilter = `(&${config.userFilter}(${config.loginAttribute}=${escapeFilterValue(loginId)}))`;

	let dn: string;
	if (config.bindDn) {
		const found = await withDirectory(
			config,
			async (c) => (await c.search(config.baseDn, { scope: 'sub', filter: personFilter, attributes: ['dn'], sizeLimit: 2 })).searchEntries
		);
		// Two entries with one 職員番号 (the client hands back what it got, without an error): neither is taken.
		if (found.length !== 1) return 'not_found';
		dn = found[0].dn;
	} else {
		dn = config.userDnTemplate!.replaceAll('{id}', escapeDnValue(loginId));
	}

	return withDirectory(
		config,
		async (c) => {
			try {
				await c.bind(dn, password);
			} catch (error) {
				if (error instanceof InvalidCredentialsError) return 'invalid';
				throw error;
			}
			if (!config.disabledFilter) return 'ok';
			// Read as the search account when there is one (a person may not read their own flags).
			const reader = config.bindDn ? null : c;
			const filter = `(&${personFilter}${config.disabledFilter})`;
			const search = (client: Client) => client.search(config.baseDn, { scope: 'sub', filter, attributes: ['dn'], sizeLimit: 2 });
			const disabled = reader ? await search(reader) : await withDirectory(config, search);
			return disabled.searchEntries.length > 0 ? 'disabled' : 'ok';
		},
		'none'
	);
}
