// Lint: the recommended rules of JavaScript, TypeScript and Svelte, on the whole tree. Formatting is
// Prettier's (`.prettierrc`), so no rule here is about layout.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'coverage/', 'test-results/', 'playwright-report/', 'static/', 'data/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		rules: {
			// Links are plain paths: the app sets no base path, so resolve() would hand each one back unchanged.
			'svelte/no-navigation-without-resolve': 'off',
			// Japanese writes the ideographic space (U+3000) on purpose: in comments, example texts and
			// template literals it is content. It is still refused in code.
			'no-irregular-whitespace': ['error', { skipComments: true, skipTemplates: true, skipRegExps: true }],
			// A name starting with _ is kept on purpose (a parameter a signature needs, a value destructured away).
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }]
		}
	}
);
