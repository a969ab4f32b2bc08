import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkName, MAX_NAME_LENGTH, type CheckedName, type NameProblem } from '$lib/domain/text';
import { checkNoCardForm } from '$lib/kiosk/noCardForm';

describe('checkName', () => {
	// Kept: Vietnamese names, NFC, trimmed, spaces collapsed. Refused: the names (invisible,
	// direction-spoofing, broken; issue 10), every direction control, every format character but the
	// zero-width joiner, and letters that draw nothing.
	const named = (name: string): CheckedName => ({ ok: true, name });
	const refused = (problem: NameProblem): CheckedName => ({ ok: false, problem });
	it.each<[string, CheckedName]>([
		['  Thôn   Trung Hòa ', named('Thôn Trung Hòa')],
		// Decomposed (NFD) input from some keyboards comes out composed.
		['Nguye\u0302\u0303n Văn An', named('Nguyễn Văn An')],
		['Tổ 5', named('Tổ 5')],
		['Ê Đê H\u2019Hen Niê', named('Ê Đê H\u2019Hen Niê')],
		['An\u200dB', named('An\u200dB')],
		['\u200b\u200b', refused('hiddenCharacter')],
		['Thôn \u202egnaoH', refused('directionControl')],
		['\ufffd\ufffd\ufffdX', refused('brokenCharacter')],
		['\ud800X', refused('brokenCharacter')],
		...['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069'].map((c): [string, CheckedName] => [`An${c}`, refused('directionControl')]),
		...['\u200b', '\u2060', '\u00ad', '\u180e', '\u{e0041}', '\ue000', '\u0007'].map((c): [string, CheckedName] => [`An${c}`, refused('hiddenCharacter')]),
		...['\u200d', '\u3164\u3164', '- . -', '\u0301'].map((raw): [string, CheckedName] => [raw, refused('noVisibleLetter')])
	])('%j: %o', (raw, expected) => {
		expect(checkName(raw)).toEqual(expected);
	});

	it('refuses missing and over-long names', () => {
		expect(checkName('   ')).toEqual({ ok: false, problem: 'missing' });
		expect(checkName(undefined)).toEqual({ ok: false, problem: 'missing' });
		expect(checkName('a'.repeat(MAX_NAME_LENGTH))).toMatchObject({ ok: true });
		expect(checkName('a'.repeat(MAX_NAME_LENGTH + 1))).toEqual({ ok: false, problem: 'tooLong' });
		expect(checkName('Hòa', 2)).toEqual({ ok: false, problem: 'tooLong' });
	});

	it('never lets through a name without a visible letter or digit, or with a hiding mark', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), (raw) => {
				const checked = checkName(raw);
				if (checked.ok) {
					expect(checked.name).toMatch(/[\p{L}\p{N}]/u);
					expect(checked.name).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd\u200b\u2060\ufeff]|\p{Cs}/u);
				}
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('the no-card form (tablet)', () => {
	const form = (fullName: string) => checkNoCardForm({ fullName, birthYear: '1958', gender: 'female' }, 2026);

	it('registers a real name and refuses an invisible or spoofed one, saying why', () => {
		expect(form(' Trần  Thị Hoa ')).toEqual({ ok: true, value: { fullName: 'Trần Thị Hoa', birthYear: 1958, gender: 'female' } });
		expect(form('\u200b\u200b')).toEqual({ ok: false, errors: { fullName: 'hiddenCharacter' } });
		expect(form('Thị \u202eaoH')).toEqual({ ok: false, errors: { fullName: 'directionControl' } });
		expect(form('')).toEqual({ ok: false, errors: { fullName: 'missing' } });
	});
});
