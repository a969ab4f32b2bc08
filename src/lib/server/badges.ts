// Members' badges: printed cards whose QR a team's tablet reads to choose the member (who then
// types their PIN). The card carries members.badge_version; issuing raises it, so every earlier
// card of that member stops working on the tablets at their next config sync.
//
// Revoking (a lost card, no new one yet) negates the version instead of raising it: -n says
// "card n was revoked and none is in force" without a new column, the next issue gives n + 1, and
// the badge page knows to print nothing for that member. Raising the number alone would leave a
// printable "current" card that nobody was meant to have. See domain/badge.ts for the format.
import type { Kysely } from 'kysely';
import { badgeInForce, importBadgeKey, nextBadgeVersion, signBadge, verifyBadgeSignature, parseBadge } from '$lib/domain/badge';
import { recordAudit } from './audit';
import type { Database, Member } from './db/schema';
import { writeTransaction } from './orgTree';
import { badgeSecret } from './settings';
import { InputError } from './inputError';
import { getMember, getTeam, listMembers } from './teams';

const memberSubject = (id: string) => `member:${id}`;

/** The HMAC key for badge signatures, from the deployment's badge secret. */
export async function badgeKey(db: Kysely<Database>): Promise<CryptoKey> {
	return importBadgeKey(new Uint8Array(Buffer.from(await badgeSecret(db), 'base64')));
}

/** `teamId`, when given, must be the member's team: a form cannot reach across teams. */
async function requireMember(db: Kysely<Database>, memberId: string, teamId: string | undefined): Promise<Member> {
	const member = await getMember(db, memberId);
	if (!member || (teamId !== undefined && member.team_id !== teamId)) throw new InputError('memberId', 'invalid', `There is no member ${memberId} in this team.`);
	return member;
}

async function raiseBadge(db: Kysely<Database>, member: Member, actor: string, now: Date): Promise<Member> {
	if (member.status !== 'active') throw new InputError('memberId', 'invalid', `${member.full_name} has left the team; only active members get a badge.`);
	const version = nextBadgeVersion(member.badge_version);
	await db.updateTable('members').set({ badge_version: version }).where('id', '=', member.id).execute();
	await recordAudit(db, {
		actor,
		action: 'member.badge',
		subject: memberSubject(member.id),
		detail: { teamId: member.team_id, version, previous: member.badge_version },
		now
	});
	return { ...member, badge_version: version };
}

/** A new card for an active member: the version goes up and every earlier card stops working. */
export async function issueBadge(db: Kysely<Database>, input: { memberId: string; teamId?: string; actor: string; now: Date }): Promise<Member> {
	return writeTransaction(db, ['members'], async (trx) => {
		const member = await requireMember(trx, input.memberId, input.teamId);
		const team = await getTeam(trx, member.team_id);
		if (!team || team.archived_at !== null) throw new InputError('teamId', 'invalid', 'The team is archived.');
		return raiseBadge(trx, member, input.actor, input.now);
	});
}

/**
 * Cards for the team's active members in one go: with `onlyMissing`, those without a card in
 * force; otherwise everyone (every printed card of the team stops working). Returns who got one.
 */
export async function issueTeamBadges(
	db: Kysely<Database>,
	input: { teamId: string; onlyMissing: boolean; actor: string; now: Date }
): Promise<Member[]> {
	return writeTransaction(db, ['members'], async (trx) => {
		const team = await getTeam(trx, input.teamId);
		if (!team) throw new InputError('teamId', 'invalid', `There is no team ${input.teamId}.`);
		if (team.archived_at !== null) throw new InputError('teamId', 'invalid', `${team.name} is archived.`);
		const members = (await listMembers(trx, team.id)).filter((m) => !input.onlyMissing || !badgeInForce(m.badge_version));
		const issued: Member[] = [];
		for (const member of members) issued.push(await raiseBadge(trx, member, input.actor, input.now));
		return issued;
	});
}

/** The member's card stops working and no new one is made (until issueBadge). */
export async function revokeBadge(db: Kysely<Database>, input: { memberId: string; teamId?: string; actor: string; now: Date }): Promise<Member> {
	return writeTransaction(db, ['members'], async (trx) => {
		const member = await requireMember(trx, input.memberId, input.teamId);
		if (!badgeInForce(member.badge_version)) throw new InputError('memberId', 'invalid', `${member.full_name} has no badge in force.`);
		const version = -member.badge_version;
		await trx.updateTable('members').set({ badge_version: version }).where('id', '=', member.id).execute();
		await recordAudit(trx, {
			actor: input.actor,
			action: 'member.badgeRevoke',
			subject: memberSubject(member.id),
			detail: { teamId: member.team_id, revoked: member.badge_version },
			now: input.now
		});
		return { ...member, badge_version: version };
	});
}

/** The signed QR text of the member's card in force; null when none is (never issued, revoked, left). */
export async function badgePayload(
	db: Kysely<Database>,
	member: Pick<Member, 'id' | 'team_id' | 'status' | 'badge_version'>,
	key?: CryptoKey
): Promise<string | null> {
	if (member.status !== 'active' || !badgeInForce(member.badge_version)) return null;
	return signBadge({ teamId: member.team_id, memberId: member.id, version: member.badge_version }, key ?? (await badgeKey(db)));
}

/**
 * Whether a scanned text is a card this server signed and still in force. Tablets cannot do
 * this (they hold no secret); it is for the server's side, e.g. checking a card at the office.
 */
export async function badgeIsValid(db: Kysely<Database>, raw: string): Promise<boolean> {
	const parsed = parseBadge(raw);
	if (!parsed.ok || !(await verifyBadgeSignature(parsed.badge, await badgeKey(db)))) return false;
	const member = await getMember(db, parsed.badge.memberId);
	return member !== undefined && member.status === 'active' && member.team_id === parsed.badge.teamId && member.badge_version === parsed.badge.version;
}
