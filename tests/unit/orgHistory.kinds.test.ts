import { describe, expect, it } from 'vitest';
import { kindsUnder } from '$lib/domain/orgHistory';

describe('kindsUnder', () => {
	it('offers no district once the tree has none (the two-level government since 1 July 2025)', () => {
		expect(kindsUnder('province', false)).toEqual(['commune', 'ward', 'town', 'village', 'residentialGroup']);
		expect(kindsUnder(null, false)).toEqual(['province', 'commune', 'ward', 'town', 'village', 'residentialGroup']);
	});
	it('offers a district where the tree still has one, and only kinds ranking below the parent', () => {
		expect(kindsUnder('province', true)).toEqual(['district', 'commune', 'ward', 'town', 'village', 'residentialGroup']);
		expect(kindsUnder('district', true)).toEqual(['commune', 'ward', 'town', 'village', 'residentialGroup']);
		expect(kindsUnder('commune', false)).toEqual(['village', 'residentialGroup']);
		expect(kindsUnder('village', true)).toEqual([]);
	});
});
