// `npm test` on a machine where no PostgreSQL answers: a private instance for the run. Prints its
// URL as one JSON line, then holds it until its standard input closes (the run is over) or it is
// told to stop; the instance and its directory go with it.
import { startPrivatePostgres } from './private-postgres';

const server = await startPrivatePostgres();
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
let ending = false;
const end = () => {
	if (ending) return;
	ending = true;
	void server.destroy().finally(() => process.exit(0));
};
process.stdin.on('end', end);
process.stdin.on('close', end);
process.stdin.resume();
process.on('SIGTERM', end);
process.on('SIGINT', end);
