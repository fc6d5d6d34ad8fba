import { sveltekit } from '@sveltejs/kit/vite';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 3000 },
	// The plugin-timing report is noise for someone running `npm start`.
	build: { rolldownOptions: { checks: { pluginTimings: false } } },
	test: {
		// Vitest's default (one fewer than the cores) is a single worker on CI's 2-core machine, which
		// leaves a core idle while an integration file waits on PostgreSQL: two files at a time. Each
		// file has a database of its own (tests/helpers/db.ts), so they do not meet.
		maxWorkers: Math.max(2, availableParallelism() - 1),
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
