// A real SMTP server for mail tests, and just enough MIME to read what it received.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { expect } from 'vitest';
import { mailTransportFromEnv, type MailTransport } from '../../src/lib/server/notify/transport';

// ---- a real SMTP server on a free port -------------------------------------------------------

export interface Received {
	rcptTo: string[];
	raw: string;
}

export interface TestServer {
	port: number;
	url: string;
	received: Received[];
	close(): Promise<void>;
}

export async function startSmtpServer(
	options: { rejectData?: (n: number) => Error | null; onRcptTo?: SMTPServerOptions['onRcptTo'] } = {}
): Promise<TestServer> {
	const received: Received[] = [];
	let dataCount = 0;
	const server = new SMTPServer({
		authOptional: true,
		secure: false,
		disabledCommands: ['STARTTLS'],
		logger: false,
		closeTimeout: 100,
		onRcptTo: options.onRcptTo,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const error = options.rejectData?.(++dataCount) ?? null;
				if (error) return callback(error);
				received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.server.address() as AddressInfo).port;
	return {
		port,
		url: `smtp://127.0.0.1:${port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

export function smtpError(message: string, responseCode: number): Error {
	return Object.assign(new Error(message), { responseCode });
}

export function transportFor(server: TestServer): MailTransport {
	const transport = mailTransportFromEnv({ SMTP_URL: server.url, MAIL_FROM: '北杜市 情報政策課 <security@city.hokuto.example>' });
	if (!transport) throw new Error('no transport');
	return transport;
}

// ---- just enough MIME to read what arrived ---------------------------------------------------

export interface ParsedMail {
	headers: Map<string, string>;
	text: string;
}

/** RFC 2047 encoded-words; adjacent words are joined before decoding, since a character may span two. */
export function decodeHeader(value: string): string {
	const words = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=(?:\s+(?==\?))?/g;
	let out = '';
	let bytes: Buffer[] = [];
	let last = 0;
	const flush = () => {
		if (bytes.length) out += Buffer.concat(bytes).toString('utf8');
		bytes = [];
	};
	for (const m of value.matchAll(words)) {
		if (m.index! > last) {
			flush();
			out += value.slice(last, m.index);
		}
		expect(m[1].toLowerCase()).toBe('utf-8');
		bytes.push(m[2].toUpperCase() === 'B' ? Buffer.from(m[3], 'base64') : decodeQuotedPrintable(m[3].replace(/_/g, ' ')));
		last = m.index! + m[0].length;
	}
	flush();
	return out + value.slice(last);
}

function decodeQuotedPrintable(text: string): Buffer {
	const soft = text.replace(/=\r?\n/g, '');
	const bytes: number[] = [];
	for (let i = 0; i < soft.length; i++) {
		if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
			bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
			i += 2;
		} else bytes.push(soft.charCodeAt(i));
	}
	return Buffer.from(bytes);
}

export function parseMail(raw: string): ParsedMail {
	const split = raw.indexOf('\r\n\r\n');
	const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
	const body = raw.slice(split + 4);
	const headers = new Map<string, string>();
	for (const line of head.split('\r\n')) {
		const colon = line.indexOf(':');
		headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	expect(headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/i);
	const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
	const bytes =
		encoding === 'base64'
			? Buffer.from(body.replace(/\s+/g, ''), 'base64')
			: encoding === 'quoted-printable'
				? decodeQuotedPrintable(body)
				: Buffer.from(body, 'latin1');
	return { headers, text: bytes.toString('utf8').replace(/\r\n/g, '\n') };
}
