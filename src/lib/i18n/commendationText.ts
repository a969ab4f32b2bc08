// Commendation categories and figures in the words the admin pages show.
import { m } from '$lib/paraglide/messages.js';
import type { CommendationCategory, FigureKey } from '$lib/domain/commendation';

export function commendationCategoryText(category: CommendationCategory): string {
	return {
		memberAssists: m.commend_category_memberAssists,
		teamResidents: m.commend_category_teamResidents,
		teamFirstTime: m.commend_category_teamFirstTime,
		teamActivities: m.commend_category_teamActivities,
		communityCollaborator: m.commend_category_communityCollaborator,
		teamHouseholdsCovered: m.outc_commend_category_teamHouseholdsCovered
	}[category]();
}

export function figureText(key: FigureKey): string {
	return {
		assists: m.commend_figure_assists,
		sessions: m.commend_figure_sessions,
		residents: m.commend_figure_residents,
		firstTimeResidents: m.commend_figure_firstTimeResidents,
		activities: m.commend_figure_activities,
		peopleReached: m.commend_figure_peopleReached,
		householdsCovered: m.outc_commend_figure_householdsCovered,
		residentsProficient: m.outc_commend_figure_residentsProficient
	}[key]();
}
