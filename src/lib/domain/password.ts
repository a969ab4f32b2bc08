// The rule for the passwords of admin, officer and leader accounts (security review, issue 10 §8):
// at least 12 characters, none of the passwords people pick first, and not the username inside
// it. Pure, so the server, the CLI and the pages all check the same thing.

export const MIN_PASSWORD_LENGTH = 12;
/** argon2 takes any length, but a megabyte-long password is an attack, not a password. */
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'containsUsername';

/**
 * The passwords at the top of the public leak lists (12 characters or longer, or a base word
 * that people pad with digits to reach a length rule), plus the Vietnamese favourites and this
 * product's own name. Lower case; compared after lower-casing and dropping diacritics.
 */
const COMMON_PASSWORDS = new Set([
	'password',
	'passw0rd',
	'p@ssw0rd',
	'p@ssword',
	'pass',
	'admin',
	'administrator',
	'root',
	'qwerty',
	'qwertyuiop',
	'asdfghjkl',
	'zxcvbnm',
	'1q2w3e4r5t6y',
	'1qaz2wsx3edc',
	'qazwsxedc',
	'iloveyou',
	'iloveyou!',
	'princess',
	'sunshine',
	'football',
	'baseball',
	'dragon',
	'monkey',
	'letmein',
	'welcome',
	'superman',
	'batman',
	'trustno1',
	'master',
	'shadow',
	'starwars',
	'whatever',
	'abc',
	'abcd',
	'secret',
	'changeme',
	'default',
	'login',
	'guest',
	'test',
	'user',
	'officer',
	'leader',
	'tramso',
	'tram so',
	'matkhau',
	'mat khau',
	'anhyeuem',
	'emyeuanh',
	'yeuem',
	'yeuanh',
	'vietnam',
	'hanoi',
	'saigon',
	'xinchao',
	'chuyendoiso',
	'chuyen doi so'
]);

/** Runs on the keyboard or in the alphabet: any stretch of them, repeated, is guessed early. */
const SEQUENCES = ['1234567890', '0987654321', 'abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba', 'qwertyuiopasdfghjklzxcvbnm', 'qazwsxedcrfvtgbyhnujmikolp'];

/** Lower case, without Vietnamese diacritics (đ → d), so "MậtKhẩu" counts as "matkhau". */
function fold(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
}

function isCommon(folded: string): boolean {
	if (COMMON_PASSWORDS.has(folded)) return true;
	// A common word padded with digits and symbols: "Password1234!", "admin@123456".
	const core = folded.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
	if (COMMON_PASSWORDS.has(core)) return true;
	// One short piece repeated: "aaaaaaaaaaaa", "abcabcabcabc", "12121212121212".
	if (/^(.{1,4})\1+$/su.test(folded)) return true;
	return SEQUENCES.some((run) => run.repeat(Math.ceil(folded.length / run.length) + 1).includes(folded));
}

/** What is wrong with a password for this username, or null when it will do. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
	const length = [...password].length;
	if (length < MIN_PASSWORD_LENGTH) return 'tooShort';
	if (length > MAX_PASSWORD_LENGTH) return 'tooLong';
	const folded = fold(password);
	const name = fold(username.trim());
	if (name.length >= 3 && folded.includes(name)) return 'containsUsername';
	if (isCommon(folded)) return 'common';
	return null;
}

/** The problem in plain English, for the CLI, logs and API errors (the pages use i18n messages). */
export function passwordProblemText(problem: PasswordProblem): string {
	return {
		tooShort: `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
		tooLong: `password must be at most ${MAX_PASSWORD_LENGTH} characters`,
		common: 'password is one of the most common passwords (or one padded with digits): choose another',
		containsUsername: 'password must not contain the username'
	}[problem];
}
