import { createDb, type Db, type DbHandle } from './db/client';
import { migrate, migrationsFolder } from './db/migrate';
import { demoPassword, demoPeople } from './demo/seed';
import { seedDemoOrganisation } from './demo/organisation';
import { loginLimitsFromEnv, pruneLoginAttempts, type LoginLimits } from './auth/rate-limit';
import { pruneTrustedDevices } from './auth/trusted-device';
import { sessionPolicyFromEnv, type SessionPolicy } from './auth/session';
import { mailTransportFromEnv, smtpTarget } from './notify/transport';
import { deliverDueMail } from './notify/deliver';
import { startPeriodicJob } from './notify/worker';
import { runScheduledReminders } from './notify/reminders';
import { japanToday } from '../format/calendar';
import { directoryConfig } from './auth/directory/config';
import { runScheduledDirectorySync } from './org/directory-sync';
import { secondFactorPolicyFromEnv, type SecondFactorPolicy } from './auth/mfa/policy';
import { secretKeyFromEnv, type SecretKey } from './auth/mfa/secret-box';

/** What one server process holds: the database and the settings read from the environment. */
interface Runtime {
	handle: DbHandle;
	sessionPolicy: SessionPolicy;
	loginLimits: LoginLimits;
	/** Whether mail goes out (SMTP_URL set); without it reminders are in-app only. */
	mailEnabled: boolean;
	secondFactor: SecondFactorPolicy;
	/** Seals TOTP secrets at rest (MFA_SECRET_KEY); null stores them unsealed. */
	secondFactorKey: SecretKey;
}

let runtime: Runtime | undefined;
let starting: Promise<Runtime> | undefined;

/**
 * Opens the database named by DATABASE_URL (else the embedded one under PGLITE_DIR or ./data),
 * applies migrations and seeds the demo organisation when asked (MAMORI_DEMO=1) or when
 * running embedded. Demo data never goes silently into a PostgreSQL database.
 */
export function startRuntime(env: Record<string, string | undefined> = process.env): Promise<Runtime> {
	starting ??= (async () => {
		const handle = await createDb({ url: env.DATABASE_URL || undefined, dataDir: env.PGLITE_DIR || 'data/pglite' });
		const wantDemo = env.MAMORI_DEMO === '1' || (handle.kind === 'pglite' && env.MAMORI_DEMO !== '0');
		await migrate(handle, migrationsFolder, wantDemo ? () => seedDemo(handle) : undefined);
		console.log(`[mamori] database: ${handle.kind === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL'}, migrations applied.`);
		const transport = mailTransportFromEnv(env);
		if (transport) {
			const everyMs = positiveInt(env.MAIL_POLL_MS) ?? 30_000;
			startPeriodicJob('mail delivery', everyMs, () => deliverDueMail(handle.db, transport));
			console.log(`[mamori] mail: SMTP via ${smtpTarget(env.SMTP_URL!.trim())}, outbox checked every ${everyMs / 1000} s.`);
		} else {
			console.log('[mamori] mail: off (SMTP_URL unset) — reminders are in-app only.');
		}
		// Automatic reminders: hourly by default, so a restart or a missed hour only delays them.
		const remindEveryMs = env.REMINDER_POLL_MS === '0' ? null : (positiveInt(env.REMINDER_POLL_MS) ?? 3_600_000);
		if (remindEveryMs) {
			startPeriodicJob('scheduled reminders', remindEveryMs, async () => {
				const run = await runScheduledReminders(handle.db, { today: japanToday(), mailOn: !!transport, appUrl: env.ORIGIN || null });
				if (run.reminded > 0)
					console.log(
						`[mamori] scheduled reminders: ${run.reminded} people in ${run.campaigns} campaigns, ${run.emailed} mails, ${run.supervisorCopies} copies to supervisors.`
					);
			});
		}
		// Read now, so that a wrong LDAP_* setting stops the start instead of failing every login.
		const directory = directoryConfig();
		if (directory) {
			console.log(`[mamori] directory: ${directory.url}${directory.startTls ? ' (StartTLS)' : ''}, base ${directory.baseDn}.`);
			if (directory.sync.hour !== null) {
				// Checked every ten minutes; each Japan day's sync runs once, at or after the hour.
				startPeriodicJob('directory sync', 600_000, async () => {
					const run = await runScheduledDirectorySync(handle.db, directory);
					if (run.status !== 'not_due') console.log(`[mamori] directory sync: ${run.status}.`);
				});
			}
		}
		const loginLimits = loginLimitsFromEnv(env);
		// Counted attempts and remembered browsers that no rule can use any more.
		startPeriodicJob('login records', 3_600_000, async () => {
			await pruneLoginAttempts(handle.db, loginLimits.windowMs);
			await pruneTrustedDevices(handle.db);
		});
		const secondFactor = secondFactorPolicyFromEnv(env, wantDemo);
		const secondFactorKey = secretKeyFromEnv(env);
		console.log(
			`[mamori] second factor: required for ${secondFactor.requiredRoles.length ? secondFactor.requiredRoles.join(', ') : 'nobody (MFA_REQUIRED_ROLES)'}; ` +
				(secondFactorKey ? 'secrets sealed with MFA_SECRET_KEY.' : 'MFA_SECRET_KEY unset — TOTP secrets are stored unsealed.')
		);
		runtime = { handle, sessionPolicy: sessionPolicyFromEnv(env), loginLimits, mailEnabled: !!transport, secondFactor, secondFactorKey };
		return runtime;
	})();
	return starting;
}

/** The demo organisation, with what was added said on the console. */
async function seedDemo(handle: DbHandle): Promise<void> {
	const demo = await seedDemoOrganisation(handle.db);
	if (demo.policiesAdded.length) console.log(`[mamori] policies loaded from content/: ${demo.policiesAdded.join(', ')}`);
	if (demo.coursesChanged.length) console.log(`[mamori] courses loaded from content/: ${demo.coursesChanged.join(', ')}`);
	if (demo.campaignsCreated) console.log('[mamori] demo training assigned to every member of staff.');
	if (demo.practised) console.log(`[mamori] demo: ${demo.practised} more members of staff have taken this year's training.`);
	const logins = demoPeople.filter((p) => p.login).map((p) => p.number);
	console.log(
		`[mamori] demo organisation 北杜市 ${demo.created ? 'seeded' : 'already present'}.\n` +
			`[mamori] demo logins (職員番号): ${logins.join(', ')} — password: ${demoPassword}`
	);
}

function positiveInt(value: string | undefined): number | undefined {
	const n = Number(value);
	return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

function current(): Runtime {
	if (!runtime) throw new Error('Mamori runtime is not started');
	return runtime;
}

export const getDb = (): Db => current().handle.db;
export const getSessionPolicy = (): SessionPolicy => current().sessionPolicy;
export const getLoginLimits = (): LoginLimits => current().loginLimits;
export const mailEnabled = (): boolean => current().mailEnabled;
export const getSecondFactorPolicy = (): SecondFactorPolicy => current().secondFactor;
/** What the second-factor checks need: the key for the secrets and the limits codes are counted by. */
export const getFactorContext = () => ({ key: current().secondFactorKey, limits: current().loginLimits });
