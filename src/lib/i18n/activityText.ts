// Team activity kinds in the words the admin pages show.
import { m } from '$lib/paraglide/messages.js';
import type { ActivityKind } from '$lib/domain/activity';
import type { ActivityField } from '$lib/server/activities';
import type { Refusal } from '$lib/server/inputError';

export function activityKindText(kind: ActivityKind): string {
	return {
		training: m.activities_kind_training,
		outreach: m.activities_kind_outreach,
		initiative: m.activities_kind_initiative,
		dxTask: m.activities_kind_dxTask
	}[kind]();
}

/** For table headers. */
export function activityKindShortText(kind: ActivityKind): string {
	return {
		training: m.activities_kind_short_training,
		outreach: m.activities_kind_short_outreach,
		initiative: m.activities_kind_short_initiative,
		dxTask: m.activities_kind_short_dxTask
	}[kind]();
}

/** What to tell the user when the server refused a field (an InputError's field, activities.ts). */
export function activityErrorText(field: ActivityField): string {
	return {
		id: m.activities_error_id,
		teamId: m.activities_error_teamId,
		kind: m.activities_error_kind,
		date: m.activities_error_date,
		title: m.activities_error_title,
		memberIds: m.activities_error_memberIds,
		peopleReached: m.activities_error_peopleReached,
		note: m.activities_error_note
	}[field]();
}

/** A refused activity form: the reason a refused title gives, else what the field needs. */
export function activityRefusalText(error: Pick<Refusal, 'field' | 'params'>): string {
	return error.params.reason ?? activityErrorText((error.field ?? 'teamId') as ActivityField);
}
