// Why a password change was refused, in the reader's language.
import { m } from '$lib/paraglide/messages.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type PasswordProblem } from '$lib/domain/password';

export type PasswordChangeError = PasswordProblem | 'current' | 'mismatch' | 'rateLimited';

export function passwordErrorText(error: PasswordChangeError): string {
	return {
		tooShort: () => m.admin2_password_error_too_short({ min: MIN_PASSWORD_LENGTH }),
		tooLong: () => m.admin2_password_error_too_long({ max: MAX_PASSWORD_LENGTH }),
		common: () => m.admin2_password_error_common(),
		containsUsername: () => m.admin2_password_error_contains_username(),
		current: () => m.admin2_password_error_current(),
		mismatch: () => m.admin2_password_error_mismatch(),
		rateLimited: () => m.admin2_password_error_rate_limited()
	}[error]();
}
