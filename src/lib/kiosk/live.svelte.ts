// The one way kiosk screens read Dexie: `live(inputs, query)`. Two traps made screens show stale
// data, and this helper closes both:
// - Svelte cannot see `$state` read inside a Dexie callback (it runs later, untracked): the
//   period buttons changed the heading, not the numbers. Here `inputs` runs in an effect, so a
//   change to any `$state` it reads starts a new query with the new inputs (a clock included:
//   pass the time in, never read `new Date()` inside the query).
// - Dexie tracks what a query read through its zone, and keeps that zone across native `await`s
//   only when the function handed to `liveQuery` is itself `async` (it checks). A plain arrow that
//   returns an async function's promise (`() => periodSummary(db, key)`) lost the zone after the
//   first `await`: the leader view kept "Đang mở" after closing. The query is wrapped in an
//   `async` function here, whatever the call site passes.
// tests/unit/kiosk/liveQueryUse.test.ts fails on a bare `liveQuery(` in a component.
import { liveQuery } from 'dexie';
import { createSubscriber } from 'svelte/reactivity';

export interface Live<T> {
	/** The query's latest result; undefined until the first one arrives. */
	readonly current: T | undefined;
	/** Why the latest run failed (liveQuery would otherwise hide it); cleared by the next result. */
	readonly error: unknown;
}

/** A query with no inputs: `live(() => db.skills.toArray())`. */
export function live<T>(query: () => T | Promise<T>): Live<T>;
/** `inputs` is read in an effect: when the `$state` it reads changes, the query runs again with it. */
export function live<I, T>(inputs: () => I, query: (inputs: I) => T | Promise<T>): Live<T>;
export function live<I, T>(first: (() => I) | (() => T | Promise<T>), second?: (inputs: I) => T | Promise<T>): Live<T> {
	const inputs = second ? (first as () => I) : () => undefined as I;
	const query = second ?? (first as (inputs: I) => T | Promise<T>);
	let current: T | undefined;
	let error: unknown;
	// Subscribed while something on screen reads the value; the query stops when nothing does.
	const subscribe = createSubscriber((update) =>
		$effect.root(() => {
			// Through a derived: the query restarts only when the inputs' value changes (a session
			// read again with the same id does not restart the queue's query).
			const latestInputs = $derived(inputs());
			$effect(() => {
				const args = latestInputs;
				const subscription = liveQuery(async () => await query(args)).subscribe({
					next: (value) => {
						current = value;
						error = undefined;
						update();
					},
					error: (e: unknown) => {
						console.error('live query failed', e);
						error = e;
						update();
					}
				});
				return () => subscription.unsubscribe();
			});
		})
	);
	return {
		get current() {
			subscribe();
			return current;
		},
		get error() {
			subscribe();
			return error;
		}
	};
}
