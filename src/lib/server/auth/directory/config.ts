// The town hall's directory (Active Directory or any LDAP server) as the environment describes it.
// Nothing here talks to the directory; see client.ts.
import { readFileSync } from 'node:fs';
import type { EmploymentType } from '../../db/schema';
import { employmentTypes } from '../../db/schema';

export interface DirectoryConfig {
	/** ldap://host:389 or ldaps://host:636. */
	url: string;
	/** Upgrade an ldap:// connection with StartTLS before anything is sent. */
	startTls: boolean;
	/** PEM of the CA that signed the directory's certificate; the system's CAs when absent. */
	tlsCa: string | null;
	/** The account searches run as; absent: searches run as the person logging in (template bind). */
	bindDn: string | null;
	bindPassword: string;
	/** Direct bind: `{id}` is replaced by the escaped 職員番号 (`{id}@town.local`, `uid={id},ou=…`). */
	userDnTemplate: string | null;
	baseDn: string;
	/** Which entries are people, e.g. `(&(objectCategory=person)(objectClass=user))`. */
	userFilter: string;
	/** The attribute holding the 職員番号 (the login id), e.g. employeeID or sAMAccountName. */
	loginAttribute: string;
	/** Entries matching it cannot log in and are leavers to the sync; null: none is disabled. */
	disabledFilter: string | null;
	timeoutMs: number;
	/**
	 * `others`: a directory person signs in with the directory password only; local passwords
	 * remain for people not in the directory. `everyone`: a directory person's local password
	 * works too (for the days of a switch-over).
	 */
	localPasswords: 'others' | 'everyone';
	/** The host of the organisation the directory belongs to; null: the only (or first) one. */
	orgHost: string | null;
	sync: DirectorySyncConfig;
}

export interface DirectorySyncConfig {
	nameAttribute: string;
	kanaAttribute: string | null;
	mailAttribute: string | null;
	titleAttribute: string | null;
	/** Its values are 雇用区分 labels (会計年度任用職員) or codes (fiscal_year). */
	employmentTypeAttribute: string | null;
	/** Group DN → employment type, read from the entry's memberOf; checked before the attribute. */
	employmentTypeGroups: { groupDn: string; type: EmploymentType }[];
	memberOfAttribute: string;
	defaultEmploymentType: EmploymentType;
	/** `ou`: the OUs above a person are the department tree; `attribute`: two attributes on the person. */
	departments: 'ou' | 'attribute';
	/** ou mode: the OU under which the department OUs sit. */
	departmentsDn: string;
	/** ou mode: the OU attribute holding the 所属コード; null: the OU's name is its code. */
	ouCodeAttribute: string | null;
	/** attribute mode. */
	departmentCodeAttribute: string;
	departmentNameAttribute: string;
	/** Japan-time hour of the nightly sync; null: only when an admin starts it. */
	hour: number | null;
	/** The nightly sync stops and waits for an admin when more of the directory's people would leave. */
	maxLeaversPercent: number;
}

export class DirectoryConfigError extends Error {}

/** The directory settings from the environment, or null when LDAP_URL is unset. Throws on a wrong setting. */
export function directoryConfigFromEnv(env: Record<string, string | undefined> = process.env): DirectoryConfig | null {
	const get = (name: string) => {
		const value = env[name]?.trim();
		return value ? value : null;
	};
	const url = get('LDAP_URL');
	if (!url) return null;
	if (!/^ldaps?:\/\/[^\s/]+\/?$/i.test(url)) throw new DirectoryConfigError('LDAP_URL must be ldap://host[:port] or ldaps://host[:port]');
	const startTls = get('LDAP_STARTTLS') === '1';
	if (startTls && url.toLowerCase().startsWith('ldaps:')) throw new DirectoryConfigError('LDAP_STARTTLS is for ldap:// URLs; ldaps:// is TLS already');
	const caFile = get('LDAP_TLS_CA');
	let tlsCa: string | null = null;
	if (caFile) {
		try {
			tlsCa = readFileSync(caFile, 'utf8');
		} catch {
			throw new DirectoryConfigError(`LDAP_TLS_CA: cannot read ${caFile}`);
		}
	}
	const baseDn = get('LDAP_BASE_DN');
	if (!baseDn) throw new DirectoryConfigError('LDAP_BASE_DN is required with LDAP_URL');
	const bindDn = get('LDAP_BIND_DN');
	const userDnTemplate = get('LDAP_USER_DN_TEMPLATE');
	if (!bindDn && !userDnTemplate) throw new DirectoryConfigError('set LDAP_BIND_DN (search, then bind) or LDAP_USER_DN_TEMPLATE (direct bind)');
	if (userDnTemplate && !userDnTemplate.includes('{id}')) throw new DirectoryConfigError('LDAP_USER_DN_TEMPLATE must contain {id}');
	const localPasswords = get('LDAP_LOCAL_PASSWORDS') ?? 'others';
	if (localPasswords !== 'others' && localPasswords !== 'everyone') throw new DirectoryConfigError('LDAP_LOCAL_PASSWORDS is `others` or `everyone`');
	const departments = get('LDAP_DEPARTMENTS') ?? 'ou';
	if (departments !== 'ou' && departments !== 'attribute') throw new DirectoryConfigError('LDAP_DEPARTMENTS is `ou` or `attribute`');
	const type = (value: string, name: string): EmploymentType => {
		if ((employmentTypes as readonly string[]).includes(value)) return value as EmploymentType;
		throw new DirectoryConfigError(`${name}: ${value} is not one of ${employmentTypes.join(', ')}`);
	};
	const groups = (get('LDAP_EMPLOYMENT_TYPE_GROUPS') ?? '')
		.split(';')
		.map((s) => s.trim())
		.filter(Boolean)
		.map((pair) => {
			const at = pair.indexOf('=');
			if (at < 1) throw new DirectoryConfigError('LDAP_EMPLOYMENT_TYPE_GROUPS is type=group DN;type=group DN');
			return { type: type(pair.slice(0, at).trim(), 'LDAP_EMPLOYMENT_TYPE_GROUPS'), groupDn: pair.slice(at + 1).trim() };
		});
	const hourText = get('LDAP_SYNC_HOUR');
	const hour = hourText === null ? null : Number(hourText);
	if (hour !== null && !(Number.isInteger(hour) && hour >= 0 && hour <= 23))
		throw new DirectoryConfigError('LDAP_SYNC_HOUR is an hour from 0 to 23 (Japan time)');
	const percent = Number(get('LDAP_SYNC_MAX_LEAVERS_PERCENT') ?? 5);
	if (!(percent >= 0 && percent <= 100)) throw new DirectoryConfigError('LDAP_SYNC_MAX_LEAVERS_PERCENT is 0 to 100');
	const timeoutMs = Number(get('LDAP_TIMEOUT_MS') ?? 5000);
	if (!(Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= 60_000)) throw new DirectoryConfigError('LDAP_TIMEOUT_MS is 1 to 60000');
	return {
		url: url.replace(/\/$/, ''),
		startTls,
		tlsCa,
		bindDn,
		bindPassword: env.LDAP_BIND_PASSWORD ?? '',
		userDnTemplate,
		baseDn,
		userFilter: get('LDAP_USER_FILTER') ?? '(objectClass=person)',
		loginAttribute: get('LDAP_LOGIN_ATTRIBUTE') ?? 'employeeNumber',
		disabledFilter: get('LDAP_DISABLED_FILTER'),
		timeoutMs,
		localPasswords,
		orgHost: get('LDAP_ORG_HOST')?.toLowerCase() ?? null,
		sync: {
			nameAttribute: get('LDAP_ATTR_NAME') ?? 'cn',
			kanaAttribute: get('LDAP_ATTR_KANA'),
			mailAttribute: get('LDAP_ATTR_MAIL') ?? 'mail',
			titleAttribute: get('LDAP_ATTR_TITLE'),
			employmentTypeAttribute: get('LDAP_ATTR_EMPLOYMENT_TYPE'),
			employmentTypeGroups: groups,
			memberOfAttribute: get('LDAP_ATTR_MEMBER_OF') ?? 'memberOf',
			defaultEmploymentType: type(get('LDAP_DEFAULT_EMPLOYMENT_TYPE') ?? 'regular', 'LDAP_DEFAULT_EMPLOYMENT_TYPE'),
			departments,
			departmentsDn: get('LDAP_DEPARTMENTS_DN') ?? baseDn,
			ouCodeAttribute: get('LDAP_OU_CODE_ATTRIBUTE'),
			departmentCodeAttribute: get('LDAP_ATTR_DEPARTMENT_CODE') ?? 'departmentNumber',
			departmentNameAttribute: get('LDAP_ATTR_DEPARTMENT_NAME') ?? 'department',
			hour,
			maxLeaversPercent: percent
		}
	};
}

let cached: { config: DirectoryConfig | null } | undefined;

/** The process's directory settings, read once. */
export function directoryConfig(): DirectoryConfig | null {
	cached ??= { config: directoryConfigFromEnv() };
	return cached.config;
}
