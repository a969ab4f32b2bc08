// The tally QR message (issue 15 §2): cut into parts a phone reads in any order, joined again,
// and its bytes (device, signature, body) read back exactly. Plus the officer's collector: parts
// in, the whole message sent once, kept on the phone while there is no network.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	addPart,
	joinedMessage,
	messageIdOf,
	packMessage,
	parsePart,
	partsMissing,
	signedBytes,
	splitMessage,
	TALLY_QR_PART_CHARS,
	unpackMessage,
	type CollectResult,
	type PartSet
} from '$lib/domain/tallyQr';
import { TallyCollector, type SendOutcome } from '$lib/admin/tallyCollector.svelte';

const DEVICE = '3f2a1c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const signature = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 255);

describe('tally QR parts', () => {
	it('cuts a message into alphanumeric codes of at most the part size, and joins them in any order', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1, maxLength: 4000 }), fc.integer({ min: 0, max: 1000 }), (body, seed) => {
				const message = packMessage(DEVICE, signature, body);
				const parts = splitMessage('AB12CD', message);
				for (const part of parts) {
					expect(part).toMatch(/^[0-9A-Z $%*+\-./:]+$/); // QR alphanumeric mode, the densest a phone reads
					expect(part.length).toBeLessThanOrEqual(TALLY_QR_PART_CHARS + 'TS1:AB12CD:99:99:'.length);
				}
				// Read in a shuffled order, some parts twice.
				const order = parts.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
				let set: PartSet | null = null;
				for (const i of [...order, order[0]!]) {
					const parsed = parsePart(parts[i]!);
					if (!parsed.ok) throw new Error(parsed.problem);
					set = addPart(set, parsed.part);
				}
				expect(joinedMessage(set!)).toBe(message);
				const unpacked = unpackMessage(joinedMessage(set!)!)!;
				expect(unpacked.deviceId).toBe(DEVICE);
				expect(unpacked.signature).toEqual(signature);
				expect(unpacked.body).toEqual(body);
				expect(unpacked.signed).toEqual(signedBytes(DEVICE, body));
			}),
			{ numRuns: 60 }
		);
	});

	it('says which parts are missing, and starts over on another message', () => {
		const parts = splitMessage('AAAA', packMessage(DEVICE, signature, new Uint8Array(900)));
		expect(parts.length).toBeGreaterThan(3);
		let set = addPart(null, (parsePart(parts[1]!) as { ok: true; part: import('$lib/domain/tallyQr').TallyQrPart }).part);
		expect(partsMissing(set)).toEqual([1, ...parts.slice(2).map((_, i) => i + 3)]);
		expect(joinedMessage(set)).toBeNull();
		const other = splitMessage('BBBB', packMessage(DEVICE, signature, new Uint8Array(10)));
		set = addPart(set, (parsePart(other[0]!) as { ok: true; part: import('$lib/domain/tallyQr').TallyQrPart }).part);
		expect(set.messageId).toBe('BBBB');
		expect(joinedMessage(set)).not.toBeNull();
	});

	it('tells a code that is not a tally part from a damaged one', () => {
		expect(parsePart('https://example.com')).toEqual({ ok: false, problem: 'not_tally_code' });
		expect(parsePart('TS1:AB12:3:2:XYZ')).toEqual({ ok: false, problem: 'malformed' }); // part 3 of 2
		expect(parsePart('TS1:ab12:1:2:XYZ')).toEqual({ ok: false, problem: 'malformed' });
		expect(parsePart('TS1:AB12:1:1:')).toEqual({ ok: false, problem: 'malformed' });
		expect(unpackMessage('NOT BASE45~')).toBeNull();
		expect(unpackMessage(packMessage(DEVICE, signature, new Uint8Array(1)).slice(0, 30))).toBeNull(); // shorter than its header
	});

	it('names a message by its signature', () => {
		expect(messageIdOf(signature)).toMatch(/^[0-9A-Z]{6}$/);
		expect(messageIdOf(signature)).not.toBe(messageIdOf(signature.map((b) => b ^ 1)));
	});
});

describe('the officer\'s collector', () => {
	const answered = (sessions: number): CollectResult => ({ ok: true, teamId: 't', teamName: 'Tổ', deviceLabel: 'Máy', sessions: Array.from({ length: sessions }, () => ({ sessionId: 's', date: '2026-11-13', checkIns: 1, assists: 1, result: 'stored' })) });

	function memoryStorage(): Storage {
		const map = new Map<string, string>();
		return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k), clear: () => map.clear(), key: () => null, get length() { return map.size; } };
	}

	it('sends a message once all its parts are in, and once only', async () => {
		const sent: string[] = [];
		const collector = new TallyCollector(async (m) => (sent.push(m), { kind: 'answered', result: answered(2) }), memoryStorage());
		const message = packMessage(DEVICE, signature, new Uint8Array(600));
		const parts = splitMessage('CCCC', message);
		collector.scanned('https://example.com');
		expect(collector.notice).toBe('not-tally');
		for (const part of parts.slice(1)) collector.scanned(part);
		expect(collector.held).toBe(parts.length - 1);
		expect(collector.missing).toEqual([1]);
		expect(sent).toEqual([]);
		collector.scanned(parts[0]!);
		await collector.flush();
		expect(sent).toEqual([message]);
		expect(collector.results).toHaveLength(1);
		// The tablet keeps cycling its codes: read again, it is not sent again.
		for (const part of parts) {
			collector.scanned(part);
			expect(collector.parts, 'no new count starts for codes already joined').toBeNull();
		}
		await collector.flush();
		expect(sent).toHaveLength(1);
		expect(collector.notice).toBe('already');
	});

	it('keeps a message on the phone while the server cannot be reached, and sends it later', async () => {
		const storage = memoryStorage();
		let online = false;
		const send = async (): Promise<SendOutcome> => (online ? { kind: 'answered', result: answered(1) } : { kind: 'unreachable' });
		const collector = new TallyCollector(send, storage);
		for (const part of splitMessage('DDDD', packMessage(DEVICE, signature, new Uint8Array(50)))) collector.scanned(part);
		await collector.flush();
		expect(collector.kept).toHaveLength(1);
		expect(collector.notice).toBe('kept');
		// The page reloaded on the way back: the phone still has it.
		const later = new TallyCollector(send, storage);
		expect(later.kept).toHaveLength(1);
		online = true;
		await later.flush();
		expect(later.kept).toEqual([]);
		expect(later.results).toHaveLength(1);
		expect(later.notice).toBeNull();
		expect(new TallyCollector(send, storage).kept).toEqual([]);
	});
});
