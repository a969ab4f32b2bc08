// The three-tap draft in team mode: resident, then skills; correcting an assist pins its resident.
import { describe, expect, it } from 'vitest';
import { AssistDraft } from '$lib/kiosk/assistDraft.svelte';
import type { AssistRow } from '$lib/kiosk/db';

const assist = { id: 'a1', checkInId: 'c2', skillCodes: ['vneid_install'], outcome: 'done' } as AssistRow;

describe('AssistDraft', () => {
	it('is ready once a resident and at least one skill are picked; picking the resident again unpicks them and their skills', () => {
		const draft = new AssistDraft();
		expect(draft.ready).toBe(false);
		draft.pickResident('c1');
		expect(draft.ready).toBe(false);
		draft.toggleSkill('bank_app');
		draft.toggleSkill('vneid_install');
		expect(draft.ready).toBe(true);
		expect(draft.skillCodes).toEqual(['bank_app', 'vneid_install']);
		draft.toggleSkill('bank_app');
		expect(draft.skillCodes).toEqual(['vneid_install']);
		draft.pickResident('c1');
		expect(draft.checkInId).toBeNull();
		expect(draft.skillCodes).toEqual([]);
	});

	it('switching resident starts the skills afresh', () => {
		const draft = new AssistDraft();
		draft.pickResident('c1');
		draft.toggleSkill('bank_app');
		draft.pickResident('c2');
		expect(draft.checkInId).toBe('c2');
		expect(draft.skillCodes).toEqual([]);
	});

	it('correcting an assist takes its resident and skills, and keeps the resident until cleared', () => {
		const draft = new AssistDraft();
		draft.edit(assist);
		expect(draft.editing).toBe(assist);
		expect(draft.checkInId).toBe('c2');
		expect(draft.skillCodes).toEqual(['vneid_install']);
		draft.toggleSkill('bank_app');
		expect(assist.skillCodes, 'the stored assist is not changed by the draft').toEqual(['vneid_install']);
		draft.pickResident('c1');
		expect(draft.checkInId, 'another resident cannot be picked while correcting').toBe('c2');
		draft.clear();
		expect([draft.editing, draft.checkInId, draft.skillCodes.length]).toEqual([null, null, 0]);
	});
});
