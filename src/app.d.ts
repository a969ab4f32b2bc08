// See https://svelte.dev/docs/kit/types#app.d.ts
import type { User } from '$lib/server/db/schema';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			/** The signed-in officer, leader or admin on /admin and the report API; null otherwise. */
			user: User | null;
		}
	}
}

export {};
