// Which password a login is checked against: the directory's for people the directory sync
// brought in, the local hash for everyone else (contractors, the break-glass admin).
import { verifyAgainstNothing, verifyPasswordHash } from '../password';
import { checkDirectoryPassword, DirectoryUnavailable } from './client';
import type { DirectoryConfig } from './config';

export interface LoginPerson {
	active: boolean;
	passwordHash: string | null;
	fromDirectory: boolean;
}

export type PasswordCheck = { valid: boolean; viaDirectory: boolean } | { valid: false; unavailable: string };

/**
 * Checks the password typed for `person` (undefined: no such 職員番号). A directory that does not
 * answer is `unavailable`, never a wrong password; local accounts do not ask it at all, so they
 * keep working while it is away.
 */
export async function checkLoginPassword(
	person: LoginPerson | undefined,
	loginId: string,
	password: string,
	directory: DirectoryConfig | null
): Promise<PasswordCheck> {
	const local = async () => ({
		valid: person && person.active && person.passwordHash ? await verifyPasswordHash(person.passwordHash, password) : await verifyAgainstNothing(password),
		viaDirectory: false
	});
	if (!directory || !person?.fromDirectory || !person.active) return local();
	// During a switch-over the local password may still be allowed for directory people.
	const localToo = directory.localPasswords === 'everyone' && !!person.passwordHash;
	let result;
	try {
		result = await checkDirectoryPassword(directory, loginId, password);
	} catch (error) {
		if (!(error instanceof DirectoryUnavailable)) throw error;
		if (localToo) return local();
		return { valid: false, unavailable: error.message };
	}
	if (result === 'ok') return { valid: true, viaDirectory: true };
	if (result !== 'disabled' && localToo) return local();
	return { valid: false, viaDirectory: true };
}
