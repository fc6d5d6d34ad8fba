// Version labels of a revision: 一部改訂 takes the next minor (5.0 → 5.1), 全部改訂 the next major
// (5.2 → 6.0). A label already used by the policy moves on to the next free one.
import type { ChangeKind } from '../db/schema';
import { versionOrder } from '../policy/policies';

export type RevisionKind = Extract<ChangeKind, 'partial' | 'full'>;
export const revisionKinds: readonly RevisionKind[] = ['partial', 'full'];

export function isRevisionKind(value: unknown): value is RevisionKind {
	return value === 'partial' || value === 'full';
}

/** The label after `current` for a revision of this kind. */
export function nextVersionLabel(current: string, kind: RevisionKind): string {
	const [major = 0, minor = 0] = versionOrder(current);
	return kind === 'full' ? `${major + 1}.0` : `${major}.${minor + 1}`;
}

/** The next label after `current` that is not in `taken`. */
export function freeVersionLabel(current: string, kind: RevisionKind, taken: ReadonlySet<string>): string {
	let label = nextVersionLabel(current, kind);
	while (taken.has(label)) label = nextVersionLabel(label, kind);
	return label;
}
