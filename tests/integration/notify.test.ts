import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg } from '../helpers/fixtures';
import { decodeHeader, parseMail, smtpError, startSmtpServer, transportFor } from '../helpers/smtp';
import type { DbHandle } from '../../src/lib/server/db/client';
import { outbox } from '../../src/lib/server/db/schema';
import { enqueueMail } from '../../src/lib/server/notify/outbox';
import { mailTransportFromEnv, smtpTarget, type MailTransport } from '../../src/lib/server/notify/transport';
import { deliverDueMail, outboxSummary, retryDelay } from '../../src/lib/server/notify/deliver';

let handle: DbHandle;
let orgId: string;

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
});
afterAll(() => handle?.close());
// Delivery takes every organisation's due mail, so each test starts from an empty outbox.
beforeEach(async () => {
	await handle.db.delete(outbox);
});

// ---- tests -----------------------------------------------------------------------------------

const subject = '【督促】情報セキュリティ研修（令和7年度）の受講期限が近づいています';
const body =
	'北杜 太郎 様\n\n情報セキュリティ研修「標的型攻撃メールへの対応」の受講期限は令和7年12月26日です。\n' +
	'まだ修了していない方は、期限までに受講してください。\n\n' +
	'これは長い行です。'.repeat(20) +
	'\n\n情報政策課';

async function rows() {
	return handle.db.select().from(outbox).orderBy(asc(outbox.createdAt), asc(outbox.toAddress));
}

/** A moment just after the rows' database-side default `now()`. */
const justAfter = () => new Date(Date.now() + 1000);

describe('enqueueMail', () => {
	it('queues one pending row per mail and skips blank addresses', async () => {
		const n = await handle.db.transaction((tx) =>
			enqueueMail(tx, [
				{ orgId, to: ' taro@city.hokuto.example ', subject, body },
				{ orgId, to: '', subject, body },
				{ orgId, to: '   ', subject, body },
				{ orgId, to: 'hanako@city.hokuto.example', subject, body }
			])
		);
		expect(n).toBe(2);
		const queued = await rows();
		expect(queued.map((r) => r.toAddress).sort()).toEqual(['hanako@city.hokuto.example', 'taro@city.hokuto.example']);
		expect(queued.every((r) => r.status === 'pending' && r.attempts === 0 && r.sentAt === null)).toBe(true);
		expect(await enqueueMail(handle.db, [])).toBe(0);
	});

	it('writes nothing when the caller’s transaction rolls back', async () => {
		await expect(
			handle.db.transaction(async (tx) => {
				await enqueueMail(tx, [{ orgId, to: 'taro@city.hokuto.example', subject, body }]);
				throw new Error('rollback');
			})
		).rejects.toThrow('rollback');
		expect(await rows()).toHaveLength(0);
	});
});

describe('mailTransportFromEnv', () => {
	it('is off without SMTP_URL', () => {
		expect(mailTransportFromEnv({})).toBeNull();
		expect(mailTransportFromEnv({ SMTP_URL: '' })).toBeNull();
		expect(mailTransportFromEnv({ SMTP_URL: '  ' })).toBeNull();
	});

	it('describes the server without its credentials', () => {
		expect(smtpTarget('smtp://user:secret@mail.city.example:2525')).toBe('mail.city.example:2525');
		expect(smtpTarget('smtps://user:secret@mail.city.example')).toBe('mail.city.example:465');
		expect(smtpTarget('smtp://mail.city.example')).toBe('mail.city.example:587');
	});
});

describe('deliverDueMail', () => {
	it('sends Japanese mail over SMTP and marks it sent', async () => {
		const server = await startSmtpServer();
		const transport = transportFor(server);
		try {
			await enqueueMail(handle.db, [
				{ orgId, to: 'taro@city.hokuto.example', subject, body },
				{ orgId, to: 'hanako@city.hokuto.example', subject: `${subject}（2通目）`, body: `${body}\n追伸` }
			]);
			const now = justAfter();
			expect(await deliverDueMail(handle.db, transport, { now })).toEqual({ sent: 2, retried: 0, failed: 0 });

			expect(server.received).toHaveLength(2);
			const mails = server.received.map((r) => ({ rcptTo: r.rcptTo, ...parseMail(r.raw) }));
			const taro = mails.find((m) => m.rcptTo[0] === 'taro@city.hokuto.example')!;
			expect(taro.rcptTo).toEqual(['taro@city.hokuto.example']);
			expect(taro.headers.get('to')).toBe('taro@city.hokuto.example');
			expect(decodeHeader(taro.headers.get('subject')!)).toBe(subject);
			expect(decodeHeader(taro.headers.get('from')!)).toBe('北杜市 情報政策課 <security@city.hokuto.example>');
			expect(taro.text).toBe(body);
			const hanako = mails.find((m) => m.rcptTo[0] === 'hanako@city.hokuto.example')!;
			expect(decodeHeader(hanako.headers.get('subject')!)).toBe(`${subject}（2通目）`);
			expect(hanako.text).toBe(`${body}\n追伸`);

			const after = await rows();
			expect(after.every((r) => r.status === 'sent' && r.attempts === 1 && r.lastError === null)).toBe(true);
			expect(after.every((r) => r.sentAt?.getTime() === now.getTime())).toBe(true);
			// Nothing is sent twice.
			expect(await deliverDueMail(handle.db, transport, { now: new Date(now.getTime() + 3_600_000) })).toEqual({ sent: 0, retried: 0, failed: 0 });
			expect(server.received).toHaveLength(2);
		} finally {
			transport.close();
			await server.close();
		}
	});

	it('leaves mail that is not yet due alone', async () => {
		const server = await startSmtpServer();
		const transport = transportFor(server);
		try {
			await enqueueMail(handle.db, [{ orgId, to: 'taro@city.hokuto.example', subject, body }]);
			expect(await deliverDueMail(handle.db, transport, { now: new Date(Date.now() - 60_000) })).toEqual({ sent: 0, retried: 0, failed: 0 });
			expect(server.received).toHaveLength(0);
		} finally {
			transport.close();
			await server.close();
		}
	});

	it('retries a rejected mail with backoff, then delivers it', async () => {
		const server = await startSmtpServer({ rejectData: (n) => (n === 1 ? smtpError('mailbox busy, try later', 451) : null) });
		const transport = transportFor(server);
		try {
			await enqueueMail(handle.db, [{ orgId, to: 'taro@city.hokuto.example', subject, body }]);
			const t0 = justAfter();
			expect(await deliverDueMail(handle.db, transport, { now: t0 })).toEqual({ sent: 0, retried: 1, failed: 0 });
			let [row] = await rows();
			expect(row.status).toBe('pending');
			expect(row.attempts).toBe(1);
			expect(row.lastError).toContain('mailbox busy');
			expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + retryDelay(1));

			// Before the delay is over nothing happens.
			expect(await deliverDueMail(handle.db, transport, { now: new Date(t0.getTime() + retryDelay(1) - 1000) })).toEqual({ sent: 0, retried: 0, failed: 0 });
			const t1 = new Date(t0.getTime() + retryDelay(1));
			expect(await deliverDueMail(handle.db, transport, { now: t1 })).toEqual({ sent: 1, retried: 0, failed: 0 });
			[row] = await rows();
			expect(row.status).toBe('sent');
			expect(row.attempts).toBe(2);
			expect(row.sentAt?.getTime()).toBe(t1.getTime());
			expect(server.received).toHaveLength(1);
			expect(decodeHeader(parseMail(server.received[0].raw).headers.get('subject')!)).toBe(subject);
		} finally {
			transport.close();
			await server.close();
		}
	});

	it('gives up after maxAttempts and marks the mail failed', async () => {
		const server = await startSmtpServer({ rejectData: () => smtpError('temporarily unavailable', 421) });
		const transport = transportFor(server);
		try {
			await enqueueMail(handle.db, [{ orgId, to: 'taro@city.hokuto.example', subject, body }]);
			let now = justAfter();
			const outcomes = [];
			for (let i = 0; i < 3; i++) {
				outcomes.push(await deliverDueMail(handle.db, transport, { now, maxAttempts: 3 }));
				const [row] = await rows();
				now = row.nextAttemptAt;
			}
			expect(outcomes).toEqual([
				{ sent: 0, retried: 1, failed: 0 },
				{ sent: 0, retried: 1, failed: 0 },
				{ sent: 0, retried: 0, failed: 1 }
			]);
			const [row] = await rows();
			expect(row.status).toBe('failed');
			expect(row.attempts).toBe(3);
			expect(row.lastError).toContain('temporarily unavailable');
			expect(await deliverDueMail(handle.db, transport, { now: new Date(now.getTime() + 86_400_000), maxAttempts: 3 })).toEqual({
				sent: 0,
				retried: 0,
				failed: 0
			});
		} finally {
			transport.close();
			await server.close();
		}
	});

	it('fails at once when the server refuses the recipient for good', async () => {
		const server = await startSmtpServer({
			onRcptTo: (address, _session, callback) => callback(address.address.startsWith('nobody@') ? smtpError('no such mailbox', 550) : null)
		});
		const transport = transportFor(server);
		try {
			await enqueueMail(handle.db, [
				{ orgId, to: 'nobody@city.hokuto.example', subject, body },
				{ orgId, to: 'taro@city.hokuto.example', subject, body }
			]);
			expect(await deliverDueMail(handle.db, transport, { now: justAfter() })).toEqual({ sent: 1, retried: 0, failed: 1 });
			const byAddress = new Map((await rows()).map((r) => [r.toAddress, r]));
			expect(byAddress.get('nobody@city.hokuto.example')).toMatchObject({ status: 'failed', attempts: 1 });
			expect(byAddress.get('nobody@city.hokuto.example')!.lastError).toContain('no such mailbox');
			expect(byAddress.get('taro@city.hokuto.example')).toMatchObject({ status: 'sent', attempts: 1 });
		} finally {
			transport.close();
			await server.close();
		}
	});

	it('schedules a retry when the server cannot be reached', async () => {
		const server = await startSmtpServer();
		await server.close(); // the port is now closed
		const transport = transportFor(server);
		try {
			await enqueueMail(handle.db, [{ orgId, to: 'taro@city.hokuto.example', subject, body }]);
			const now = justAfter();
			expect(await deliverDueMail(handle.db, transport, { now })).toEqual({ sent: 0, retried: 1, failed: 0 });
			const [row] = await rows();
			expect(row).toMatchObject({ status: 'pending', attempts: 1 });
			expect(row.lastError).toBeTruthy();
		} finally {
			transport.close();
		}
	});

	it('sends each mail exactly once when two workers run at the same time', async () => {
		const server = await startSmtpServer();
		const transports = [transportFor(server), transportFor(server)];
		try {
			const mails = Array.from({ length: 24 }, (_, i) => ({ orgId, to: `staff${i}@city.hokuto.example`, subject: `${subject} #${i}`, body }));
			await enqueueMail(handle.db, mails);
			const now = justAfter();
			// Each worker keeps taking small batches until nothing is left for it.
			const worker = async (transport: MailTransport) => {
				let sent = 0;
				for (;;) {
					const r = await deliverDueMail(handle.db, transport, { now, batch: 3 });
					if (r.sent + r.retried + r.failed === 0) return sent;
					sent += r.sent;
				}
			};
			const counts = await Promise.all(transports.map(worker));
			expect(counts[0] + counts[1]).toBe(24);
			const recipients = server.received.map((r) => r.rcptTo[0]).sort();
			expect(recipients).toEqual(mails.map((m) => m.to).sort());
			expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
		} finally {
			for (const t of transports) t.close();
			await server.close();
		}
	});

	it('hands back mail it has no time left to send, without counting an attempt', async () => {
		await enqueueMail(handle.db, [
			{ orgId, to: 'a@city.hokuto.example', subject, body },
			{ orgId, to: 'b@city.hokuto.example', subject, body },
			{ orgId, to: 'c@city.hokuto.example', subject, body }
		]);
		const sentTo: string[] = [];
		const slow: MailTransport = {
			async send(mail) {
				await new Promise((r) => setTimeout(r, 30));
				sentTo.push(mail.to);
			},
			close() {}
		};
		const now = justAfter();
		// A 20 ms lease: after the first send half of it is gone.
		expect(await deliverDueMail(handle.db, slow, { now, leaseMs: 20 })).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(sentTo).toHaveLength(1);
		const left = (await rows()).filter((r) => r.status === 'pending');
		expect(left).toHaveLength(2);
		expect(left.every((r) => r.attempts === 0 && r.nextAttemptAt.getTime() === now.getTime())).toBe(true);
		expect(await deliverDueMail(handle.db, slow, { now })).toEqual({ sent: 2, retried: 0, failed: 0 });
		expect(sentTo.sort()).toEqual(['a@city.hokuto.example', 'b@city.hokuto.example', 'c@city.hokuto.example']);
	});
});

describe('outboxSummary', () => {
	it('counts the organisation’s mail by status and dates the oldest waiting one', async () => {
		const other = await makeOrg(handle.db);
		await enqueueMail(handle.db, [
			{ orgId, to: 'a@city.hokuto.example', subject, body },
			{ orgId, to: 'b@city.hokuto.example', subject, body },
			{ orgId, to: 'c@city.hokuto.example', subject, body },
			{ orgId: other.id, to: 'x@other.example', subject, body }
		]);
		const [a, b] = await handle.db.select().from(outbox).where(eq(outbox.orgId, orgId)).orderBy(asc(outbox.toAddress));
		await handle.db.update(outbox).set({ status: 'sent', sentAt: new Date() }).where(eq(outbox.id, a.id));
		await handle.db.update(outbox).set({ status: 'failed' }).where(eq(outbox.id, b.id));
		const oldest = new Date('2025-04-01T00:00:00Z');
		const [c] = await handle.db.select().from(outbox).where(eq(outbox.toAddress, 'c@city.hokuto.example'));
		await handle.db.update(outbox).set({ createdAt: oldest }).where(eq(outbox.id, c.id));

		expect(await outboxSummary(handle.db, orgId)).toEqual({ pending: 1, sent: 1, failed: 1, oldestPendingAt: oldest });
		expect(await outboxSummary(handle.db, other.id)).toMatchObject({ pending: 1, sent: 0, failed: 0 });
		const empty = await makeOrg(handle.db);
		expect(await outboxSummary(handle.db, empty.id)).toEqual({ pending: 0, sent: 0, failed: 0, oldestPendingAt: null });
	});
});
