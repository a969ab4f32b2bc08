// One input error for every server module, and the one way a form action hands it to its page.
import { describe, expect, it } from 'vitest';
import { InputError, optionalText, refusal, requireDate, requireNameInput } from '$lib/server/inputError';

const thrown = (work: () => unknown): unknown => {
	try {
		work();
	} catch (e) {
		return e;
	}
	return undefined;
};

describe('refusal()', () => {
	it('gives the page the form, the field, the code, its params and the message, with 400', () => {
		const out = refusal(new InputError('fullName', 'nameRefused', 'Tên có ký tự ẩn.', { reason: 'Tên có ký tự ẩn.' }), 'recommend');
		expect(out.status).toBe(400);
		expect(out.data).toEqual({
			on: 'recommend',
			error: { field: 'fullName', code: 'nameRefused', params: { reason: 'Tên có ký tự ẩn.' }, message: 'Tên có ký tự ẩn.' }
		});
	});

	it('answers 403 for a matter of rights, and the status it is told otherwise', () => {
		expect(refusal(new InputError(null, 'forbidden', 'no')).status).toBe(403);
		expect(refusal(new InputError(null, 'fileTooLarge', 'big'), null, 413).status).toBe(413);
	});

	it('throws on whatever is not bad input, so a fault stays a 500', () => {
		const fault = new Error('disk full');
		expect(thrown(() => refusal(fault))).toBe(fault);
	});
});

describe('the shared input checks', () => {
	it('name the field and say why', () => {
		expect(thrown(() => requireNameInput('\u200b', 'title'))).toMatchObject({ field: 'title', code: 'nameRefused', params: { reason: expect.stringMatching(/ký tự ẩn/) } });
		expect(requireNameInput('  Lan   Anh ', 'fullName')).toBe('Lan Anh');
		expect(thrown(() => requireDate('2025-02-30', 'joinedOn'))).toMatchObject({ field: 'joinedOn', code: 'dateInvalid' });
		expect(requireDate('2024-02-29', 'joinedOn')).toBe('2024-02-29');
		expect(optionalText('  ', 'note', 5)).toBeNull();
		expect(thrown(() => optionalText('abcdef', 'note', 5))).toMatchObject({ field: 'note', code: 'textTooLong', params: { max: '5' } });
	});
});
