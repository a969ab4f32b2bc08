import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	AGE_BANDS,
	MIN_BIRTH_YEAR,
	ageBand,
	honorificFor,
	isPlausibleBirthYear,
	normaliseName
} from '$lib/domain/resident';

describe('honorificFor', () => {
	it('elders are 50 and over, whatever the gender', () => {
		expect(honorificFor('male', 1976, 2026)).toBe('elder');
		expect(honorificFor('female', 1976, 2026)).toBe('elder');
		expect(honorificFor('female', 1930, 2026)).toBe('elder');
	});

	it('49-year-olds are anh / chị', () => {
		expect(honorificFor('male', 1977, 2026)).toBe('man');
		expect(honorificFor('female', 1977, 2026)).toBe('woman');
	});

	it('adults from 18 are man / woman', () => {
		expect(honorificFor('male', 2008, 2026)).toBe('man');
		expect(honorificFor('female', 2008, 2026)).toBe('woman');
	});

	it('under 18 is young, whatever the gender', () => {
		expect(honorificFor('male', 2009, 2026)).toBe('young');
		expect(honorificFor('female', 2009, 2026)).toBe('young');
		expect(honorificFor('female', 2026, 2026)).toBe('young');
	});
});

describe('ageBand', () => {
	it('puts the boundaries in the right bands', () => {
		expect(ageBand(2009, 2026)).toBe('under18'); // 17
		expect(ageBand(2008, 2026)).toBe('from18to39'); // 18
		expect(ageBand(1987, 2026)).toBe('from18to39'); // 39
		expect(ageBand(1986, 2026)).toBe('from40to59'); // 40
		expect(ageBand(1967, 2026)).toBe('from40to59'); // 59
		expect(ageBand(1966, 2026)).toBe('from60'); // 60
		expect(ageBand(1920, 2026)).toBe('from60');
	});

	it('always answers a known band', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1900, max: 2100 }), (born, at) => {
				expect(AGE_BANDS).toContain(ageBand(born, at));
			})
		);
	});
});

describe('isPlausibleBirthYear', () => {
	it('accepts 1900 up to the current year', () => {
		expect(MIN_BIRTH_YEAR).toBe(1900);
		expect(isPlausibleBirthYear(1900, 2026)).toBe(true);
		expect(isPlausibleBirthYear(1958, 2026)).toBe(true);
		expect(isPlausibleBirthYear(2026, 2026)).toBe(true);
	});

	it('refuses earlier, future and non-integer years', () => {
		expect(isPlausibleBirthYear(1899, 2026)).toBe(false);
		expect(isPlausibleBirthYear(2027, 2026)).toBe(false);
		expect(isPlausibleBirthYear(1958.5, 2026)).toBe(false);
		expect(isPlausibleBirthYear(Number.NaN, 2026)).toBe(false);
		expect(isPlausibleBirthYear(Number.POSITIVE_INFINITY, 2026)).toBe(false);
	});
});

describe('normaliseName', () => {
	it('trims and folds white space', () => {
		expect(normaliseName('  Trần   Thị\tHoa \n')).toBe('Trần Thị Hoa');
		expect(normaliseName('   ')).toBe('');
		expect(normaliseName('Hoa')).toBe('Hoa');
	});

	it('composes decomposed Vietnamese to NFC', () => {
		const nfd = 'Nguyễn Thị Thủy'.normalize('NFD');
		expect(nfd).not.toBe('Nguyễn Thị Thủy'.normalize('NFC'));
		expect(normaliseName(nfd)).toBe('Nguyễn Thị Thủy'.normalize('NFC'));
	});

	it('is idempotent', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme' }), (s) => {
				const once = normaliseName(s);
				expect(normaliseName(once)).toBe(once);
				expect(once).toBe(once.trim());
				expect(once).not.toMatch(/\s{2}/);
			})
		);
	});
});
