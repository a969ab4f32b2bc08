// Commendation proposals (đề xuất khen thưởng, seed 3.2): lines the server proposes from the
// period's figures, ranked with a fixed tie-break so the same data always gives the same list,
// and the officer's edits (lines left out, notes, lines added by hand) laid over them.

export const COMMENDATION_CATEGORIES = ['memberAssists', 'teamResidents', 'teamFirstTime', 'teamActivities', 'communityCollaborator', 'teamHouseholdsCovered'] as const;
export type CommendationCategory = (typeof COMMENDATION_CATEGORIES)[number];

export type FigureKey = 'assists' | 'sessions' | 'residents' | 'firstTimeResidents' | 'activities' | 'peopleReached' | 'householdsCovered' | 'residentsProficient';

export interface Figure {
	key: FigureKey;
	value: number;
}

export interface CommendationSubject {
	type: 'member' | 'team';
	id: string;
	name: string;
	teamId: string;
	teamName: string;
	unitName: string;
	/** Members only: their role and background as the roster has them. */
	role: string | null;
	background: string | null;
	joinedOn: string | null;
}

export interface CommendationLine {
	/** `${category}:${subject id}`: stable while the data changes, so edits stay attached. */
	id: string;
	category: CommendationCategory;
	/** 1 = best; equal figures share a rank (1, 2, 2, 4). */
	rank: number;
	subject: CommendationSubject;
	/** The numbers behind the line, the ranking figure first. */
	figures: Figure[];
}

// ---------------------------------------------------------------------------------------------
// Ranking

const collator = new Intl.Collator('vi', { numeric: true });

export interface Candidate {
	subject: CommendationSubject;
	figures: Figure[];
	/** Compared in order, larger first. */
	score: readonly number[];
}

function compareScores(a: readonly number[], b: readonly number[]): number {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const d = (b[i] ?? 0) - (a[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}

/**
 * Candidates with a positive first score, best first; equal scores share a rank and are ordered
 * by name, then id. Keeps everyone ranked `limit` or better (so a tie at the cut keeps all of it).
 */
export function rankCandidates(category: CommendationCategory, candidates: readonly Candidate[], limit: number): CommendationLine[] {
	const sorted = candidates
		.filter((c) => (c.score[0] ?? 0) > 0)
		.sort((a, b) => compareScores(a.score, b.score) || collator.compare(a.subject.name, b.subject.name) || (a.subject.id < b.subject.id ? -1 : a.subject.id > b.subject.id ? 1 : 0));
	const lines: CommendationLine[] = [];
	for (const [i, c] of sorted.entries()) {
		const previous = sorted[i - 1];
		const rank = previous && compareScores(previous.score, c.score) === 0 ? lines[i - 1]!.rank : i + 1;
		if (rank > limit) break;
		lines.push({ id: `${category}:${c.subject.id}`, category, rank, subject: c.subject, figures: c.figures });
	}
	return lines;
}

/**
 * The proxy for "a resident who went on to help others as a collaborator": the server never sees
 * residents, so it looks for collaborators whose background on the roster says they come from the
 * community (a resident, a student, a farmer, a retiree…) rather than from an office.
 */
const COMMUNITY_BACKGROUNDS = ['người dân', 'dân cư', 'sinh viên', 'học sinh', 'nông dân', 'hưu trí', 'thanh niên', 'hộ kinh doanh', 'tiểu thương', 'lao động tự do'];

export function isCommunityBackground(background: string): boolean {
	const text = background.normalize('NFC').toLocaleLowerCase('vi');
	return COMMUNITY_BACKGROUNDS.some((word) => text.includes(word));
}

// ---------------------------------------------------------------------------------------------
// The officer's edits

export interface AddedLine {
	id: string;
	/** Who: a member, a team, a resident or a business (free text). */
	name: string;
	/** Why: the achievement, in the officer's words. */
	reason: string;
}

export interface CommendationEdits {
	/** Proposed lines the officer kept, out of `reviewed`. */
	included: string[];
	/** Every proposed line the officer saw when saving: a line that appears later is new, and included. */
	reviewed: string[];
	/** Line id (proposed or added) → the officer's note. */
	notes: Record<string, string>;
	added: AddedLine[];
}

export const EMPTY_EDITS: CommendationEdits = Object.freeze({ included: [], reviewed: [], notes: {}, added: [] }) as CommendationEdits;

export const MAX_NOTE = 500;
export const MAX_ADDED = 50;
export const MAX_ADDED_NAME = 120;
export const MAX_ADDED_REASON = 300;
const MAX_IDS = 2000;
const MAX_ID = 200;

export class CommendationEditError extends Error {
	constructor(
		readonly field: 'included' | 'reviewed' | 'notes' | 'added',
		message: string
	) {
		super(message);
		this.name = 'CommendationEditError';
	}
}

const clean = (value: unknown): string => (typeof value === 'string' ? value.normalize('NFC').replace(/\s+/g, ' ').trim() : '');

function ids(value: unknown, field: 'included' | 'reviewed'): string[] {
	if (!Array.isArray(value) || value.length > MAX_IDS || value.some((v) => typeof v !== 'string' || v.length === 0 || v.length > MAX_ID)) {
		throw new CommendationEditError(field, `Give at most ${MAX_IDS} line ids.`);
	}
	return [...new Set(value as string[])].sort();
}

const ADDED_ID = /^added:[\w-]{1,64}$/;

/**
 * Checks and tidies edits from a form or from storage: ids distinct and sorted, empty added lines,
 * blank notes and notes of lines that do not exist dropped.
 */
export function normalizeEdits(raw: unknown): CommendationEdits {
	const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
	const reviewed = ids(value.reviewed ?? [], 'reviewed');
	const seen = new Set(reviewed);
	const included = ids(value.included ?? [], 'included').filter((id) => seen.has(id));

	const rawAdded = value.added ?? [];
	if (!Array.isArray(rawAdded) || rawAdded.length > MAX_ADDED) throw new CommendationEditError('added', `At most ${MAX_ADDED} added lines.`);
	const added: AddedLine[] = [];
	for (const item of rawAdded as unknown[]) {
		const a = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
		const name = clean(a.name);
		const reason = clean(a.reason);
		if (!name && !reason) continue; // an empty "add a line" row
		if (!name || [...name].length > MAX_ADDED_NAME) throw new CommendationEditError('added', `An added line needs a name of at most ${MAX_ADDED_NAME} characters.`);
		if ([...reason].length > MAX_ADDED_REASON) throw new CommendationEditError('added', `A reason is at most ${MAX_ADDED_REASON} characters.`);
		if (typeof a.id !== 'string' || !ADDED_ID.test(a.id) || added.some((x) => x.id === a.id)) throw new CommendationEditError('added', 'An added line needs its own id.');
		added.push({ id: a.id, name, reason });
	}

	const known = new Set([...reviewed, ...added.map((a) => a.id)]);
	const notes: Record<string, string> = {};
	const rawNotes = value.notes ?? {};
	if (typeof rawNotes !== 'object' || rawNotes === null || Array.isArray(rawNotes)) throw new CommendationEditError('notes', 'Notes are a map of line id to text.');
	for (const id of Object.keys(rawNotes).sort()) {
		const note = clean((rawNotes as Record<string, unknown>)[id]);
		if (!note || !known.has(id)) continue;
		if ([...note].length > MAX_NOTE) throw new CommendationEditError('notes', `A note is at most ${MAX_NOTE} characters.`);
		notes[id] = note;
	}
	return { included, reviewed, notes, added };
}

export interface ReviewedLine {
	line: CommendationLine;
	included: boolean;
	note: string;
	/** Proposed since the officer last saved. */
	fresh: boolean;
}

export interface ReviewedAdded {
	added: AddedLine;
	note: string;
}

/** The proposal as the officer left it. With no saved edits every line is in and none is fresh. */
export function applyEdits(lines: readonly CommendationLine[], edits: CommendationEdits | undefined): { lines: ReviewedLine[]; added: ReviewedAdded[] } {
	const e = edits ?? EMPTY_EDITS;
	const reviewed = new Set(e.reviewed);
	const included = new Set(e.included);
	return {
		lines: lines.map((line) => {
			const seen = reviewed.has(line.id);
			return { line, included: seen ? included.has(line.id) : true, note: e.notes[line.id] ?? '', fresh: edits !== undefined && !seen };
		}),
		added: e.added.map((added) => ({ added, note: e.notes[added.id] ?? '' }))
	};
}

/** A form-like source of fields (FormData fits). */
export interface FieldSource {
	get(name: string): unknown;
	getAll(name: string): unknown[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The editing form's fields as (unchecked) edits: `line` lists every proposed line shown, `include`
 * the ticked ones, `note:<id>` the notes; `added` lists the added lines shown, `keep` the ticked
 * ones (with `addedName:<id>`, `addedReason:<id>`); `newName`/`newReason`/`newNote` a line to add,
 * whose id comes from `newId`.
 */
export function editsFromForm(form: FieldSource, newId: () => string): unknown {
	const reviewed = form.getAll('line').map(str);
	const kept = new Set(form.getAll('keep').map(str));
	const addedIds = form.getAll('added').map(str).filter((id) => kept.has(id));
	const notes: Record<string, string> = {};
	for (const id of [...reviewed, ...addedIds]) notes[id] = str(form.get(`note:${id}`));
	const added = addedIds.map((id) => ({ id, name: str(form.get(`addedName:${id}`)), reason: str(form.get(`addedReason:${id}`)) }));
	const name = str(form.get('newName'));
	const reason = str(form.get('newReason'));
	if (name.trim() || reason.trim()) {
		const id = `added:${newId()}`;
		added.push({ id, name, reason });
		notes[id] = str(form.get('newNote'));
	}
	return { reviewed, included: form.getAll('include').map(str), notes, added };
}
