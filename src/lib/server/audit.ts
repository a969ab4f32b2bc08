// Every change an officer, a leader, a device or the system makes is written here.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';

export interface AuditEntry {
	/** 'user:<id>', 'device:<id>' or 'system'. */
	actor: string;
	/** Dotted verb, e.g. 'team.create', 'device.revoke', 'tally.store'. */
	action: string;
	/** What it acted on, e.g. 'team:<id>'. */
	subject?: string | null;
	detail?: unknown;
	now: Date;
}

/** Pass the transaction that makes the change, so the change and its record commit together. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
	await db
		.insertInto('audit_events')
		.values({
			id: randomUUID(),
			at: entry.now.toISOString(),
			actor: entry.actor,
			action: entry.action,
			subject: entry.subject ?? null,
			detail: entry.detail === undefined ? null : JSON.stringify(entry.detail)
		})
		.execute();
}

export async function listAudit(db: Kysely<Database>, filter: { subject?: string; limit?: number } = {}) {
	let query = db.selectFrom('audit_events').selectAll().orderBy('at', 'desc').limit(filter.limit ?? 100);
	if (filter.subject) query = query.where('subject', '=', filter.subject);
	return query.execute();
}
