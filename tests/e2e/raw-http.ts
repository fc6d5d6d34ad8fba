// Requests over node:http for what a request library would not send, and their answers.
import http from 'node:http';
import net from 'node:net';
import type { APIRequestContext } from '@playwright/test';

export interface Answer {
	status: number;
	contentType: string;
	location: string;
	body: string;
}

/** The Cookie header a request context would send to `origin`. */
export async function cookieHeader(session: APIRequestContext, origin: string): Promise<string> {
	const host = new URL(origin).hostname;
	const { cookies } = await session.storageState();
	return cookies
		.filter((c) => c.domain.replace(/^\./, '') === host)
		.map((c) => `${c.name}=${c.value}`)
		.join('; ');
}

/**
 * A post over node:http, for what a request library would not send: no content type, or a body
 * of `bytes` bytes (declared, or chunked) that stops once the answer arrives.
 */
export function rawPost(origin: string, target: string, headers: Record<string, string>, body: Buffer | { bytes: number; declared: boolean }): Promise<Answer> {
	const url = new URL(target, origin);
	const fixed = Buffer.isBuffer(body) ? body : null;
	const length = fixed ? fixed.length : (body as { bytes: number }).bytes;
	const declared = fixed !== null || (body as { declared: boolean }).declared;
	return new Promise<Answer>((resolve, reject) => {
		let answered = false;
		const request = http.request(
			{
				host: url.hostname,
				port: url.port,
				path: url.pathname + url.search,
				method: 'POST',
				headers: declared ? { ...headers, 'content-length': String(length) } : headers
			},
			(response) => {
				answered = true;
				const chunks: Buffer[] = [];
				response.on('data', (c: Buffer) => chunks.push(c));
				response.on('end', () => {
					request.destroy();
					resolve({
						status: response.statusCode ?? 0,
						contentType: String(response.headers['content-type'] ?? ''),
						location: String(response.headers.location ?? ''),
						body: Buffer.concat(chunks).toString()
					});
				});
			}
		);
		request.on('error', (error) => (answered ? undefined : reject(error)));
		if (fixed) return void request.end(fixed);
		const chunk = Buffer.alloc(64 * 1024, 'a');
		let sent = 0;
		const pump = () => {
			while (!answered && sent < length) {
				const part = chunk.subarray(0, Math.min(chunk.length, length - sent));
				sent += part.length;
				if (!request.write(part)) return void request.once('drain', pump);
			}
			if (!answered) request.end();
		};
		pump();
	});
}

/**
 * A post of `bytes` bytes sent whole whatever the answer, as an attacker sends it, over a bare
 * socket (an HTTP client stops sending once it has the answer). Resolves with the answer's status
 * once the answer has come and every byte has been taken by the server.
 */
export function postWhole(
	origin: string,
	target: string,
	headers: Record<string, string>,
	bytes: number,
	declared: boolean
): Promise<{ status: number; head: string }> {
	const url = new URL(target, origin);
	return new Promise((resolve, reject) => {
		const socket = net.connect(Number(url.port), url.hostname);
		let received = Buffer.alloc(0);
		let head = '';
		let allSent = false;
		const finish = () => {
			if (!head || !allSent) return;
			socket.destroy();
			resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head });
		};
		socket.on('data', (data: Buffer) => {
			received = Buffer.concat([received, data]);
			const end = received.indexOf('\r\n\r\n');
			if (!head && end >= 0) {
				head = received.subarray(0, end).toString();
				finish();
			}
		});
		socket.on('error', reject);
		socket.on('connect', () => {
			const lines = [
				`POST ${url.pathname}${url.search} HTTP/1.1`,
				`Host: ${url.host}`,
				...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
				declared ? `Content-Length: ${bytes}` : 'Transfer-Encoding: chunked'
			];
			socket.write(`${lines.join('\r\n')}\r\n\r\n`);
			const chunk = Buffer.alloc(64 * 1024, 'a');
			let sent = 0;
			const pump = () => {
				while (sent < bytes) {
					const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
					sent += part.length;
					const ok = declared ? socket.write(part) : socket.write(Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]));
					if (!ok) return void socket.once('drain', pump);
				}
				socket.write(declared ? '' : '0\r\n\r\n', () => {
					allSent = true;
					finish();
				});
			};
			pump();
		});
	});
}
