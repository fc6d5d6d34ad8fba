// Serves the built app. Without ORIGIN, the request's own scheme is passed to the app so that
// SvelteKit's form origin check works on http://localhost as well as behind an HTTPS proxy.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER) process.env.PROTOCOL_HEADER = 'x-mamori-proto';
const protocolHeader = process.env.PROTOCOL_HEADER;
// The outer bound on any request body: the largest route limit (the policy import's 20 MB Word or
// PDF file with its pasted-text field beside it, 26 MB). Each route takes only what its form needs,
// checked by the app's hooks (src/lib/server/input/limits.ts).
process.env.BODY_SIZE_LIMIT ??= String(27 * 1024 * 1024);

// Importing the handler runs the app's init: database, migrations, demo data.
const { handler } = await import(pathToFileURL(path.join(root, 'build', 'handler.js')).href);

const server = http.createServer((req, res) => {
	if (protocolHeader === 'x-mamori-proto') {
		req.headers['x-mamori-proto'] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
	}
	handler(req, res);
});

server.listen(port, host, () => {
	const shown = process.env.ORIGIN || `http://localhost:${port}`;
	console.log(`[mamori] Mamori is running at ${shown}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
