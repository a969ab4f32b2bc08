// Tablets prove who they are with the bearer token they got at enrolment.
import type { Kysely } from 'kysely';
import { ApiError, bearerToken } from './api';
import type { Database, Device } from './db/schema';
import { authenticateDevice, type DeviceAuthResult } from './devices';

export async function requireDevice(db: Kysely<Database>, request: Request, now: Date): Promise<Device> {
	return requireDeviceBy(request, (token) => authenticateDevice(db, token, now));
}

/** The tablet `authenticate` finds for the request's token, or the API's refusal (401). */
export async function requireDeviceBy<T extends Device>(request: Request, authenticate: (token: string) => Promise<DeviceAuthResult<T>>): Promise<T> {
	const token = bearerToken(request);
	if (!token) throw new ApiError(401, 'unauthorized', 'A device token is required (Authorization: Bearer …).');
	const result = await authenticate(token);
	if (!result.ok) {
		throw result.reason === 'revoked'
			? new ApiError(401, 'device_revoked', 'This tablet was disconnected by an officer. Enrol it again.')
			: new ApiError(401, 'unauthorized', 'This device token is not known.');
	}
	return result.device;
}
