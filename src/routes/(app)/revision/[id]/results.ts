// The shapes the editor's actions answer with, shared by the server and the page.
import type { MessageKey } from '$lib/i18n';

export interface SectionValues {
	/** The revision the text was loaded at; a save names it. */
	rev: number;
	label: string;
	heading: string;
	body: string;
}

export interface SectionResult {
	key: string;
	values?: SectionValues;
	/** `html`: the saved body rendered, to show in place of the stored rendering. */
	saved?: { rev: number; at: string; changed: boolean; html: string };
	/** Sanitised HTML of the typed body. */
	preview?: string;
	conflict?: {
		/** What is stored now; null when the section was removed meanwhile. */
		theirs: { label: string; heading: string; body: string; rev: number; by: string | null; at: string } | null;
		/** From theirs to yours. */
		parts: { op: 'equal' | 'insert' | 'delete'; text: string }[];
	};
	error?: MessageKey;
	params?: Record<string, string>;
}

export interface MetaValues {
	token: string;
	version: string;
	changeKind: string;
	reason: string;
}

export interface MetaResult {
	values: MetaValues;
	saved?: boolean;
	conflict?: { version: string; changeKind: string; reason: string; token: string; by: string | null; at: string | null };
	error?: MessageKey;
	params?: Record<string, string>;
	field?: 'version' | 'changeKind' | 'reason';
}

export interface AddResult {
	values: { key: string; label: string; heading: string; body: string; level: string; after: string };
	error: MessageKey;
	params?: Record<string, string>;
	field: string | null;
}
