// The demo team both halves share: the tablet runs as it before enrolment, the server seeds it,
// and their ids and PINs match so a demo tablet enrolled to a demo server just carries on.
import type { CoreRole } from './teamRules';

export const DEMO_TEAM_ID = 'demo-tung-anh-trung-hoa';

/** Demo members and their PINs (README lists them). */
export const DEMO_MEMBERS: readonly { id: string; fullName: string; role: CoreRole; pin: string }[] = [
	{ id: 'demo-leader', fullName: 'Nguyễn Văn An', role: 'leader', pin: '1111' },
	{ id: 'demo-deputy', fullName: 'Trần Thị Bình', role: 'deputy', pin: '2222' },
	{ id: 'demo-member', fullName: 'Lê Văn Cường', role: 'member', pin: '3333' }
];
