import { isAuditActionGroup } from '$lib/domain/audit';
import { serverContext } from '$lib/server/context';
import { auditPeople, listAuditRows, resolveAuditNames } from '$lib/server/auditView';
import { refuse, requireUser } from '$lib/server/auth';
import { loadTree } from '$lib/server/orgTree';
import type { PageServerLoad } from './$types';

const SHOWN = 200;

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user);
	if (user.role !== 'admin') refuse(403, 'adminOnlyAudit');
	const { db } = await serverContext();
	const group = url.searchParams.get('group');
	const filter = {
		group: isAuditActionGroup(group) ? group : null,
		actor: url.searchParams.get('actor') || null,
		unitId: url.searchParams.get('unit') || null
	};
	const [rows, people, tree] = await Promise.all([listAuditRows(db, { ...filter, limit: SHOWN }), auditPeople(db), loadTree(db, { includeArchived: true })]);
	const units = tree.units.map((u) => ({ id: u.id, label: tree.path(u.id).map((p) => p.name).join(' › ') }));
	return { rows, names: await resolveAuditNames(db, rows), people, units, filter };
};
