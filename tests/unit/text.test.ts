import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkName, MAX_NAME_LENGTH } from '$lib/domain/text';
import { checkNoCardForm } from '$lib/kiosk/noCardForm';

describe('checkName', () => {
	it('keeps Vietnamese names, NFC, trimmed, spaces collapsed', () => {
		expect(checkName('  Thôn   Trung Hòa ')).toEqual({ ok: true, name: 'Thôn Trung Hòa' });
		// Decomposed (NFD) input from some keyboards comes out composed.
		expect(checkName('Nguye\u0302\u0303n Văn An')).toEqual({ ok: true, name: 'Nguyễn Văn An' });
		expect(checkName('Tổ 5')).toEqual({ ok: true, name: 'Tổ 5' });
		expect(checkName('Ê Đê H\u2019Hen Niê')).toEqual({ ok: true, name: 'Ê Đê H\u2019Hen Niê' });
	});

	it("refuses the issue's names: invisible, direction-spoofing, broken (issue 10)", () => {
		expect(checkName('\u200b\u200b')).toEqual({ ok: false, problem: 'hiddenCharacter' });
		expect(checkName('Thôn \u202egnaoH')).toEqual({ ok: false, problem: 'directionControl' });
		expect(checkName('\ufffd\ufffd\ufffdX')).toEqual({ ok: false, problem: 'brokenCharacter' });
		expect(checkName('\ud800X')).toEqual({ ok: false, problem: 'brokenCharacter' });
	});

	it('refuses every direction control, format character but the joiners, and letters that draw nothing', () => {
		for (const c of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069']) {
			expect(checkName(`An${c}`)).toEqual({ ok: false, problem: 'directionControl' });
		}
		for (const c of ['\u200b', '\u2060', '\u00ad', '\u180e', '\u{e0041}', '\ue000', '\u0007']) {
			expect(checkName(`An${c}`)).toEqual({ ok: false, problem: 'hiddenCharacter' });
		}
		expect(checkName('An\u200dB')).toEqual({ ok: true, name: 'An\u200dB' });
		expect(checkName('\u200d')).toEqual({ ok: false, problem: 'noVisibleLetter' });
		expect(checkName('\u3164\u3164')).toEqual({ ok: false, problem: 'noVisibleLetter' });
		expect(checkName('- . -')).toEqual({ ok: false, problem: 'noVisibleLetter' });
		expect(checkName('\u0301')).toEqual({ ok: false, problem: 'noVisibleLetter' });
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
