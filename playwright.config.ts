import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	// Screenshot baselines (screens.test.ts) without the platform in their names: CI runs the same
	// Debian Chromium and fonts as development machines.
	snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${port}`,
		locale: 'ja-JP',
		timezoneId: 'Asia/Tokyo',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	// One project: the loop (which publishes 第5.1版) has an app of its own and runs beside the others,
	// so no test waits for all the rest to finish.
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		command: 'node tests/e2e/server.js',
		url: `http://localhost:${port}/login`,
		timeout: 240_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		stderr: 'pipe',
		env: { PORT: String(port) }
	}
});
