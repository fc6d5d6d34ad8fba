import type { CurrentUser } from '$lib/server/auth/current-user';
import type { Locale } from '$lib/i18n/core';

declare global {
	namespace App {
		interface Locals {
			user: CurrentUser | null;
			sessionId: string | null;
			/** A session whose login proved the password but still owes the second factor: `user` stays null. */
			pendingUser?: CurrentUser | null;
			/** When the session last proved the second factor (for step-up before sensitive actions). */
			secondFactorAt?: Date | null;
			locale: Locale;
			/** Set by handleError when a load or action failed because the database is away. */
			databaseUnavailable?: boolean;
		}
		interface PageData {
			locale: Locale;
		}
		interface Error {
			message: string;
			/** A message key from the i18n catalogue, shown in the reader's language. */
			key?: string;
			/** The message's {placeholders}. */
			params?: Record<string, string | number>;
		}
	}
}

export {};
