import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem, passwordProblemText } from '$lib/domain/password';

describe('password rule (admin, officer and leader accounts)', () => {
	it('refuses fewer than 12 characters, counting Vietnamese letters once each', () => {
		expect(passwordProblem('1234567890', 'admin')).toBe('tooShort');
		expect(passwordProblem('Đồng Tháp ơi', 'lan')).toBeNull(); // 12 letters and spaces
		expect(passwordProblem('Đồng Tháp ơ', 'lan')).toBe('tooShort');
		expect(passwordProblem('x'.repeat(257), 'lan')).toBe('tooLong');
	});

	it('refuses the most common passwords, also padded with digits or in other letter case', () => {
		for (const common of ['123456789012', 'qwertyuiopas', 'Password1234', 'password1234!', 'P@ssw0rd2026', 'MậtKhẩu12345', 'anhyeuem123456', 'iloveyou2026!', 'aaaaaaaaaaaa', 'abcabcabcabc', '098765432109', 'abcdefghijkl']) {
			expect(passwordProblem(common, 'lan.nguyen'), common).toBe('common');
		}
	});

	it('refuses a password that contains the username', () => {
		expect(passwordProblem('e2e-admin-password', 'admin')).toBe('containsUsername');
		expect(passwordProblem('my-LAN.NGUYEN-2026', ' Lan.Nguyen ')).toBe('containsUsername');
	});

	it('accepts a passphrase', () => {
		expect(passwordProblem('ba con gà trống gáy sáng', 'lan.nguyen')).toBeNull();
		expect(passwordProblem('e2e-hall-keeper-pass', 'admin')).toBeNull();
		expect(passwordProblem('authz-password-1', 'authz.offa.1a2b3c')).toBeNull();
	});

	it('names each problem in a sentence', () => {
		expect(passwordProblemText('tooShort')).toContain(String(MIN_PASSWORD_LENGTH));
		expect(passwordProblemText('containsUsername')).toMatch(/username/);
	});
});
