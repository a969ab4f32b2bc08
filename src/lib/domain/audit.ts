// The audit trail's rows and the references in them ('user:<id>', 'team:<id>', …), so the page can
// name people and things instead of showing ids.

export interface AuditRow {
	id: string;
	at: string;
	/** 'user:<id>', 'device:<id>', 'system' or 'system:cli'. */
	actor: string;
	/** Dotted verb: 'team.create', 'tally.stored', … */
	action: string;
	subject: string | null;
	/** The stored JSON detail, parsed; {} when none or unreadable. */
	detail: Record<string, unknown>;
}

export const AUDIT_REF_KINDS = ['user', 'team', 'unit', 'member', 'device', 'activity'] as const;
export type AuditRefKind = (typeof AUDIT_REF_KINDS)[number];

/** Names by id, per kind of thing. */
export type AuditNames = Record<AuditRefKind, Record<string, string>>;

/** The filter's kinds of action: each the action prefixes it covers. */
export const AUDIT_ACTION_GROUPS = {
	accounts: ['user'],
	tablets: ['enrolment', 'device'],
	tallies: ['tally', 'submission'],
	units: ['unit'],
	teams: ['team'],
	members: ['member'],
	decisions: ['decision'],
	activities: ['activity'],
	commendations: ['commendation'],
	settings: ['settings']
} as const satisfies Record<string, readonly string[]>;
export type AuditActionGroup = keyof typeof AUDIT_ACTION_GROUPS;

export function isAuditActionGroup(value: unknown): value is AuditActionGroup {
	return typeof value === 'string' && Object.hasOwn(AUDIT_ACTION_GROUPS, value);
}

/** 'team:abc' → { kind: 'team', id: 'abc' }; null for 'system' or anything else. */
export function parseAuditRef(ref: string | null | undefined): { kind: string; id: string } | null {
	const match = /^([a-z]+):(.+)$/.exec(ref ?? '');
	return match ? { kind: match[1]!, id: match[2]! } : null;
}

const isRefKind = (kind: string): kind is AuditRefKind => (AUDIT_REF_KINDS as readonly string[]).includes(kind);
const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** The ids each row mentions, by kind: in its actor, its subject and the usual detail fields. */
export function auditRefsOf(rows: readonly AuditRow[]): Record<AuditRefKind, Set<string>> {
	const refs = Object.fromEntries(AUDIT_REF_KINDS.map((kind) => [kind, new Set<string>()])) as Record<AuditRefKind, Set<string>>;
	const add = (kind: AuditRefKind, id: string | undefined) => id && refs[kind].add(id);
	for (const row of rows) {
		for (const ref of [parseAuditRef(row.actor), parseAuditRef(row.subject)]) if (ref && isRefKind(ref.kind)) add(ref.kind, ref.id);
		add('team', text(row.detail.teamId));
		add('member', text(row.detail.memberId));
		add('unit', text(row.detail.unitId));
		add('unit', text(row.detail.parentId));
		add('device', text(row.detail.deviceId));
		if (row.action === 'unit.move') add('unit', text(row.detail.to));
	}
	return refs;
}
