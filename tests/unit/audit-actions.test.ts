// Every action the source records has a label in both languages and a summary: the scan reads each
// `recordAudit(…)` call with the type checker, so an action built from a template
// (`revision.${move.name}`) counts as each value it can take. A new action without a label fails here.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ja } from '../../src/lib/i18n/ja';
import { en } from '../../src/lib/i18n/en';
import { auditActions } from '../../src/lib/server/audit/actions';
import { summaries } from '../../src/lib/server/audit/summaries';

const root = path.resolve(__dirname, '../..');

interface RecordedAction {
	action: string;
	where: string;
}

/** Every action string a `recordAudit` call in src/ can record, with where it is recorded. */
function recordedActions(): { actions: RecordedAction[]; calls: number; unknown: string[] } {
	const files = execFileSync('grep', ['-rl', '--include=*.ts', 'recordAudit(', 'src'], { cwd: root, encoding: 'utf8' })
		.trim()
		.split('\n')
		.filter((f) => !f.endsWith('audit/log.ts'))
		.map((f) => path.join(root, f));
	const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
	if (!config) throw new Error('tsconfig.json could not be read');
	const program = ts.createProgram({ rootNames: files, options: { ...config.options, noEmit: true } });
	const checker = program.getTypeChecker();
	const actions: RecordedAction[] = [];
	const unknown: string[] = [];
	let calls = 0;
	for (const file of files) {
		const source = program.getSourceFile(file)!;
		const visit = (node: ts.Node) => {
			if (ts.isCallExpression(node) && node.expression.getText(source) === 'recordAudit') {
				calls++;
				const where = `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
				const entry = node.arguments[2];
				const property =
					entry && ts.isObjectLiteralExpression(entry)
						? entry.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'action')
						: undefined;
				// A cast would hide what is recorded: the expression inside it is what counts.
				let expression: ts.Expression | undefined = property?.initializer;
				while (
					expression &&
					(ts.isAsExpression(expression) ||
						ts.isTypeAssertionExpression(expression) ||
						ts.isSatisfiesExpression(expression) ||
						ts.isParenthesizedExpression(expression) ||
						ts.isNonNullExpression(expression))
				) {
					expression = expression.expression;
				}
				const type = expression ? checker.getTypeAtLocation(expression) : undefined;
				const parts = type ? (type.isUnion() ? type.types : [type]) : [];
				if (parts.length === 0 || !parts.every((t) => t.isStringLiteral())) unknown.push(`${where}: ${type ? checker.typeToString(type) : 'no action'}`);
				for (const part of parts) if (part.isStringLiteral()) actions.push({ action: part.value, where });
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return { actions, calls, unknown };
}

describe('audit actions', () => {
	let scanned: ReturnType<typeof recordedActions>;
	// The type checker reads the source and what it imports: seconds, not milliseconds.
	beforeAll(() => {
		scanned = recordedActions();
	}, 180_000);

	it('are known where they are recorded: each call names literal actions', () => {
		// The scan found the calls: 40 of them when it was written.
		expect(scanned.calls).toBeGreaterThanOrEqual(35);
		expect(scanned.unknown, 'actions the type checker cannot list').toEqual([]);
	});

	it('each has a label in Japanese and English', () => {
		const missing = scanned.actions
			.filter(({ action }) => {
				const key = `audit.action.${action}`;
				const label = (table: Record<string, string>) => table[key];
				return !label(ja) || !label(en) || label(ja) === label(en);
			})
			.map(({ action, where }) => `${action} (${where})`);
		expect(missing, 'actions recorded without a label in ja.ts and en.ts').toEqual([]);
	});

	it('each has a summary and belongs to a group of the filter', () => {
		const listed = new Set<string>(auditActions);
		const orphans = scanned.actions.filter(({ action }) => !listed.has(action) || !(action in summaries)).map(({ action, where }) => `${action} (${where})`);
		expect(orphans).toEqual([]);
		// Nothing listed that is never recorded: the filter offers only what can be found.
		const recorded = new Set(scanned.actions.map((a) => a.action));
		expect(auditActions.filter((a) => !recorded.has(a))).toEqual([]);
	});
});
