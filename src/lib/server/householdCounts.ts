// Each village's number of households, entered by an officer and dated: what the report's household
// coverage (households with someone proficient in the five basic skills) is measured against.
// A count below the households already covered is flagged in the report, not refused here: the
// officer may know better than the tablets (a household moved away, two merged).
import type { Kysely } from 'kysely';
import { localDateOf, type LocalDate } from '$lib/domain/period';
import type { Database, OrgUnitKind } from './db/schema';
import { InputError, requireDate } from './inputError';
import { recordAudit } from './audit';

/** The units a household count belongs to: villages and residential groups. */
export const VILLAGE_KINDS: readonly OrgUnitKind[] = ['village', 'residentialGroup'];
export const MAX_HOUSEHOLDS = 100_000;

export interface HouseholdCount {
	unitId: string;
	countedOn: LocalDate;
	households: number;
}

/** Records (or corrects, for the same date) a village's household count. Audited. */
export async function recordHouseholdCount(
	db: Kysely<Database>,
	input: { unitId: string; countedOn: unknown; households: unknown; actor: string; now: Date }
): Promise<HouseholdCount> {
	const countedOn = requireDate(input.countedOn, 'countedOn');
	if (countedOn > localDateOf(input.now)) throw new InputError('countedOn', 'dateInFuture', 'A count cannot be dated after today.');
	const raw = typeof input.households === 'string' ? input.households.trim() : input.households;
	const households = typeof raw === 'number' ? raw : /^\d{1,7}$/.test(String(raw)) ? Number(raw) : Number.NaN;
	if (!Number.isInteger(households) || households < 0 || households > MAX_HOUSEHOLDS) {
		throw new InputError('households', 'householdsInvalid', `A whole number from 0 to ${MAX_HOUSEHOLDS}.`, { max: String(MAX_HOUSEHOLDS) });
	}
	const unit = await db.selectFrom('org_units').select(['kind', 'archived_at']).where('id', '=', input.unitId).executeTakeFirst();
	if (!unit || unit.archived_at !== null) throw new InputError('unitId', 'unknownUnit', 'No such unit.');
	if (!VILLAGE_KINDS.includes(unit.kind)) throw new InputError('unitId', 'notVillage', 'Households are counted per village.');
	const row = { unit_id: input.unitId, counted_on: countedOn, households, recorded_by: input.actor, recorded_at: input.now.toISOString() };
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('village_household_counts')
			.values(row)
			.onConflict((oc) => oc.columns(['unit_id', 'counted_on']).doUpdateSet({ households, recorded_by: row.recorded_by, recorded_at: row.recorded_at }))
			.execute();
		await recordAudit(trx, { actor: input.actor, action: 'unit.households', subject: `unit:${input.unitId}`, detail: { countedOn, households }, now: input.now });
	});
	return { unitId: input.unitId, countedOn, households };
}

/** Each unit's latest count dated on or before `date` (units without one are absent). */
export async function householdCountsAsOf(db: Kysely<Database>, unitIds: readonly string[], date: LocalDate): Promise<Map<string, HouseholdCount>> {
	const result = new Map<string, HouseholdCount>();
	for (let i = 0; i < unitIds.length; i += 1000) {
		const rows = await db
			.selectFrom('village_household_counts')
			.select(['unit_id', 'counted_on', 'households'])
			.where('unit_id', 'in', unitIds.slice(i, i + 1000))
			.where('counted_on', '<=', date)
			.orderBy('counted_on')
			.execute();
		// Ascending: the last one read for a unit is its latest.
		for (const r of rows) result.set(r.unit_id, { unitId: r.unit_id, countedOn: r.counted_on, households: r.households });
	}
	return result;
}
