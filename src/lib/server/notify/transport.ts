import { createTransport } from 'nodemailer';

/** What the delivery worker needs from a mail server; tests can hand in their own. */
export interface MailTransport {
	send(mail: { to: string; subject: string; body: string }): Promise<void>;
	close(): void;
}

/**
 * The server refused the recipient for good (a 5xx reply to RCPT TO, e.g. no such mailbox):
 * retrying cannot help, so the delivery worker marks the mail failed at once.
 */
export class RecipientRejectedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RecipientRejectedError';
	}
}

export const defaultMailFrom = 'Mamori <mamori@localhost>';

// A dead or silent server fails one mail quickly instead of holding the worker for minutes.
const connectionTimeout = 15_000;
const greetingTimeout = 15_000;
const socketTimeout = 20_000;

/**
 * The SMTP transport named by SMTP_URL (smtp://[user:pass@]host[:port] or smtps://…), sending as
 * MAIL_FROM; null when SMTP_URL is unset, so reminders stay in the app only.
 */
export function mailTransportFromEnv(env: Record<string, string | undefined> = process.env): MailTransport | null {
	const url = env.SMTP_URL?.trim();
	if (!url) return null;
	const from = env.MAIL_FROM?.trim() || defaultMailFrom;
	const transporter = createTransport({ url, connectionTimeout, greetingTimeout, socketTimeout });
	return {
		async send(mail) {
			try {
				await transporter.sendMail({
					from,
					to: mail.to,
					subject: mail.subject,
					text: mail.body,
					// Base64 keeps Japanese text compact and its lines safe from servers that rewrap.
					textEncoding: 'base64'
				});
			} catch (err) {
				const e = err as { command?: string; responseCode?: number; message?: string };
				if (e.command === 'RCPT TO' && (e.responseCode ?? 0) >= 500) throw new RecipientRejectedError(e.message ?? String(err));
				throw err;
			}
		},
		close() {
			transporter.close();
		}
	};
}

/** host:port of an SMTP URL, without credentials, for the start-up log line. */
export function smtpTarget(smtpUrl: string): string {
	try {
		const url = new URL(smtpUrl);
		const port = url.port || (url.protocol === 'smtps:' ? '465' : '587');
		return `${url.hostname}:${port}`;
	} catch {
		return '(unparsable SMTP_URL)';
	}
}
