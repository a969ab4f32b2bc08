// A seeded random source, so demo data, benchmarks and fault tests are the same on every run and
// a failing run can be replayed from its seed.

export type Rng = () => number;

/** mulberry32: 32-bit state, small and fast; good enough for plausible data and picking faults. */
export function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** An integer in [min, max]. */
export function intBetween(random: Rng, min: number, max: number): number {
	return min + Math.floor(random() * (max - min + 1));
}
