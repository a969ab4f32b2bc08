// What the notice after "Đóng phiên" says, from where the tally is: demo mode never claims the
// tally waits for a server; sending and sent follow the outbox row.
import { describe, expect, it } from 'vitest';
import { closeSendStatus, type CloseSendInput } from '$lib/kiosk/closeSendStatus';
import type { OutboxRow } from '$lib/kiosk/db';

const row = (state: OutboxRow['state']) => ({ state }) as OutboxRow;
const base: CloseSendInput = { canSend: true, online: true, sending: false, row: row('pending') };

describe('closeSendStatus', () => {
	it('keeps the tally on the tablet when there is no server to send to, even while online', () => {
		expect(closeSendStatus({ ...base, canSend: false })).toBe('kept');
		expect(closeSendStatus({ ...base, canSend: false, sending: true })).toBe('kept');
	});
	it('says sending while the outbox is being sent, then sent once the row says so', () => {
		expect(closeSendStatus({ ...base, sending: true })).toBe('sending');
		expect(closeSendStatus({ ...base, sending: false, row: row('sent') })).toBe('sent');
	});
	it('says offline when enrolled without network, and will retry when a send left it waiting', () => {
		expect(closeSendStatus({ ...base, online: false })).toBe('offline');
		expect(closeSendStatus(base)).toBe('willRetry');
	});
	it('reports a refusal whatever else is true', () => {
		expect(closeSendStatus({ ...base, canSend: false, row: row('refused') })).toBe('refused');
	});
});
