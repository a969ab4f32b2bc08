import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
	approvalRefusalText,
	communeStateText,
	lateArrivalKindText,
	submissionRefusalText,
	teamStateDetails,
	teamStateText,
	timelinessText
} from '$lib/i18n/approvalText';
import { TEAM_PERIOD_STATES, type TeamPeriodStatus } from '$lib/domain/teamPeriodState';
import type { ApprovalRefusalCode } from '$lib/domain/approval';
import type { SubmissionRefusalCode } from '$lib/domain/submission';
import { uuid } from '../fixtures/periodReports';

const messages = (lang: string): Record<string, string> => JSON.parse(readFileSync(`src/lib/i18n/${lang}.json`, 'utf8'));
const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('approval words', () => {
	it('every appr_ message is in Vietnamese and English, with the same parameters', () => {
		const vi = messages('vi');
		const en = messages('en');
		const keys = Object.keys(vi).filter((k) => k.startsWith('appr_'));
		expect(keys.length).toBeGreaterThan(40);
		expect(Object.keys(en).filter((k) => k.startsWith('appr_'))).toEqual(keys);
		for (const key of keys) {
			expect(vi[key]!.trim().length, key).toBeGreaterThan(0);
			expect(params(vi[key]!), key).toEqual(params(en[key]!));
			expect(vi[key], key).not.toBe(en[key]);
		}
	});

	it('names each team state in Vietnamese, each differently', () => {
		const texts = TEAM_PERIOD_STATES.map(teamStateText);
		expect(texts).toEqual(['Chưa bắt đầu', 'Đang thực hiện', 'Đã gửi báo cáo', 'Gửi báo cáo muộn', 'Có thay đổi sau khi gửi', 'Bị trả lại', 'Đã duyệt']);
	});

	it('tells "held up by no network" from late, and names the commune states', () => {
		expect(timelinessText('held_up_offline')).toBe('Xong đúng hạn, gửi chậm do mất mạng');
		expect(timelinessText('late')).toBe('Trễ hạn');
		expect(communeStateText('submitted')).toBe('Xã đã duyệt, chờ tỉnh');
		expect(lateArrivalKindText('replaced')).toBe('Bản sửa của buổi đã duyệt');
	});

	it('says what a team waits for, what changed and the officer note', () => {
		const status: TeamPeriodStatus = {
			teamId: 't',
			state: 'returned',
			expected: true,
			waitingFor: [{ sessionId: uuid(1), version: 1 }, { sessionId: uuid(2), version: 1 }],
			changedSince: [],
			timeliness: 'pending',
			completeAt: null,
			returnNote: 'Thiếu buổi 12/11',
			approvedBy: null,
			approvedAt: null
		};
		expect(teamStateDetails(status)).toEqual(['Xã trả lại báo cáo: Thiếu buổi 12/11', 'Đang chờ 2 buổi chưa về máy chủ']);
	});

	it('has a distinct message for every refusal code', () => {
		const submission: SubmissionRefusalCode[] = ['invalid', 'tooMany', 'duplicate', 'notStarted', 'inFuture', 'beforePeriod', 'idReused'];
		const approval: ApprovalRefusalCode[] = [
			'wrongLevel', 'lowerLevelFirst', 'lockedAbove', 'notSubmitted', 'waitingForSessions',
			'changedSinceSubmitted', 'alreadyApproved', 'notApproved', 'teamsAwaitingReview', 'noteRequired'
		];
		const texts = [...submission.map((code) => submissionRefusalText({ code, field: 'period' })), ...approval.map(approvalRefusalText)];
		expect(new Set(texts).size).toBe(texts.length);
		expect(submissionRefusalText({ code: 'tooMany', field: 'sessions' })).toBe('Báo cáo kỳ có quá 400 buổi.');
	});
});
