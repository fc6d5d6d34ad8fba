// Work on user text that can take long (a 2 MB policy, a 10 MB roster, a lesson's Markdown) runs
// here, on a worker thread, so that the one thread serving every request stays free. Each job has
// a time budget: a worker that overruns it is ended and the caller gets `OffThreadTimeout`.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { offThreadTasks, type OffThreadTasks } from './tasks';

export type TaskName = keyof OffThreadTasks;
type Input<T extends TaskName> = Parameters<OffThreadTasks[T]>[0];
type Output<T extends TaskName> = Awaited<ReturnType<OffThreadTasks[T]>>;

/** The job ran past its time budget, and its worker was ended. */
export class OffThreadTimeout extends Error {
	constructor(
		readonly task: string,
		readonly budgetMs: number
	) {
		super(`${task} took longer than ${budgetMs} ms`);
		this.name = 'OffThreadTimeout';
	}
}

/** Long enough for the largest legitimate input on a busy machine, short enough that nobody waits for nothing. */
export const defaultBudgetMs = 20_000;

const workerFlag = 'mamoriTextWorker';

/**
 * The worker runs this very module (whichever file the bundler put it in), which then serves
 * jobs instead of sending them. From the sources (tests, `vite dev`) the module is TypeScript,
 * loaded through tsx, a development dependency.
 */
function startWorker(): Worker {
	const self = JSON.stringify(import.meta.url);
	const code = /\.[cm]?ts$/.test(new URL(import.meta.url).pathname)
		? `import('tsx/esm/api').then(({ register }) => { register(); return import(${self}); });`
		: `import(${self});`;
	return new Worker(code, { eval: true, workerData: { [workerFlag]: true }, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
}

interface Job {
	id: number;
	task: string;
	input: unknown;
	budgetMs: number;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

/** One worker and its queue: jobs run one at a time, in order. */
class Lane {
	private worker: Worker | null = null;
	private queue: Job[] = [];
	private running: { job: Job; timer: NodeJS.Timeout } | null = null;

	run(job: Job): void {
		this.queue.push(job);
		this.next();
	}

	private start(): Worker {
		const worker = startWorker();
		worker.unref();
		worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
			const current = this.running;
			if (!current || current.job.id !== m.id) return;
			clearTimeout(current.timer);
			this.running = null;
			if (m.ok) current.job.resolve(m.value);
			else current.job.reject(new Error(m.error));
			this.next();
		});
		worker.on('error', (error) => this.fail(worker, error));
		worker.on('exit', () => this.fail(worker, new Error('the text worker stopped')));
		return worker;
	}

	/** The worker died or was ended: its job fails, the next one gets a new worker. */
	private fail(worker: Worker, error: unknown): void {
		if (this.worker !== worker) return;
		this.worker = null;
		const current = this.running;
		this.running = null;
		if (current) {
			clearTimeout(current.timer);
			current.job.reject(error);
		}
		this.next();
	}

	private next(): void {
		if (this.running) return;
		const job = this.queue.shift();
		if (!job) return;
		this.worker ??= this.start();
		const worker = this.worker;
		const timer = setTimeout(() => {
			this.fail(worker, new OffThreadTimeout(job.task, job.budgetMs));
			void worker.terminate();
		}, job.budgetMs);
		this.running = { job, timer };
		worker.postMessage({ id: job.id, task: job.task, input: job.input });
	}
}

// Imports and previews on one lane, so a long one never holds up rendering on the other.
const lanes = { input: new Lane(), render: new Lane() };
let nextId = 1;

/** Runs one of the tasks in tasks.ts on a worker thread. */
export function runOffThread<T extends TaskName>(task: T, input: Input<T>, options: { budgetMs?: number; lane?: keyof typeof lanes } = {}): Promise<Output<T>> {
	return new Promise((resolve, reject) => {
		lanes[options.lane ?? 'input'].run({
			id: nextId++,
			task,
			input,
			budgetMs: options.budgetMs ?? defaultBudgetMs,
			resolve: resolve as (value: unknown) => void,
			reject
		});
	});
}

// Inside the worker: answer each job with its value or its error.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[workerFlag]) {
	const port = parentPort;
	port.on('message', ({ id, task, input }: { id: number; task: TaskName; input: never }) => {
		// A task may be asynchronous (reading a PDF); the lane sends the next job only after the answer.
		Promise.resolve()
			.then((): unknown => offThreadTasks[task](input))
			.then(
				(value) => port.postMessage({ id, ok: true, value }),
				(error: unknown) => port.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) })
			);
	});
}
