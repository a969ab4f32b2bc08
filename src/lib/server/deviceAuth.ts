// Tablets prove who they are with the bearer token they got at enrolment.
import type { Kysely } from 'kysely';
import { ApiError, bearerToken } from './api';
import type { Database, Device } from './db/schema';
import { authenticateDevice } from './devices';

export async function requireDevice(db: Kysely<Database>, request: Request, now: Date): Promise<Device> {
	const token = bearerToken(request);
	if (!token) throw new ApiError(401, 'unauthorized', 'A device token is required (Authorization: Bearer …).');
	const result = await authenticateDevice(db, token, now);
	if (!result.ok) {
		throw result.reason === 'revoked'
			? new ApiError(401, 'device_revoked', 'This tablet was disconnected by an officer. Enrol it again.')
			: new ApiError(401, 'unauthorized', 'This device token is not known.');
	}
	return result.device;
}
