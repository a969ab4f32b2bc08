// Team activity kinds in the words the admin pages show.
import { m } from '$lib/paraglide/messages.js';
import type { ActivityKind } from '$lib/domain/activity';

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

type ActivityField = 'id' | 'teamId' | 'kind' | 'date' | 'title' | 'memberIds' | 'peopleReached' | 'note';

/** What to tell the user when the server refused a field (ActivityInputError.field). */
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
