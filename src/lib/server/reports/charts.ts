// Report charts as SVG strings built on the server: no chart library, nothing to run in the
// browser, and the same markup prints. Every piece of text goes through escapeXml (unit and skill
// names are officers' free text), and each chart is an accessible image with a title and a
// description listing its numbers.

export interface ChartDatum {
	label: string;
	value: number;
}

export interface ChartOptions {
	/** Accessible name, shown as the tooltip too. */
	title?: string;
	/** Prefix of the element ids; give each chart on a page its own. */
	id?: string;
	width?: number;
	/** Shown when there is nothing to draw. */
	emptyText?: string;
	color?: string;
}

/** Text and attribute values, with characters XML 1.0 forbids dropped so the SVG stays well-formed. */
export function escapeXml(text: string): string {
	return text
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
		.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const FONT = 'font-family="system-ui, sans-serif"';
/**
 * Every label's size in the chart's own units. Charts are drawn at their natural size and only
 * ever shrink (max-width: 100% in the page), so on a 1366-wide screen, where they have room,
 * labels are 15 px: readable for elderly officers (issue 9 asks ≥ 14 px).
 */
export const LABEL_PX = 15;
const safeNumber = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);
const numberFormat = new Intl.NumberFormat('vi-VN');
const fmt = (v: number) => numberFormat.format(v);
/** Coordinates with one decimal at most: smaller markup, same picture. */
const px = (v: number) => String(Math.round(v * 10) / 10);
const safeColor = (c: string | undefined, fallback: string) => (c && /^#[0-9a-fA-F]{3,8}$/.test(c) ? c : fallback);

function truncate(label: string, max: number): string {
	const chars = [...label];
	return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

function frame(o: { id: string; width: number; height: number; title: string; desc: string; body: string }): string {
	const titleId = `${o.id}-title`;
	const descId = `${o.id}-desc`;
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${o.width} ${o.height}" width="${o.width}" height="${o.height}" role="img" ` +
		`aria-labelledby="${escapeXml(titleId)} ${escapeXml(descId)}" ${FONT}>` +
		`<title id="${escapeXml(titleId)}">${escapeXml(o.title)}</title>` +
		`<desc id="${escapeXml(descId)}">${escapeXml(o.desc)}</desc>` +
		o.body +
		`</svg>`
	);
}

const describe = (data: readonly ChartDatum[]) => data.map((d) => `${d.label}: ${fmt(safeNumber(d.value))}`).join('; ');

function emptyChart(id: string, width: number, title: string, text: string): string {
	return frame({
		id,
		width,
		height: 60,
		title,
		desc: text,
		body: `<text x="${width / 2}" y="35" text-anchor="middle" font-size="${LABEL_PX}" fill="#475569">${escapeXml(text)}</text>`
	});
}

/** What every chart takes from its options, with its own defaults; `empty` is the whole chart when there is nothing to draw. */
function chartSetup(count: number, opts: ChartOptions, defaults: { id: string; title: string }) {
	const id = opts.id ?? defaults.id;
	const width = opts.width ?? 640;
	const title = opts.title ?? defaults.title;
	const empty = count === 0 ? emptyChart(id, width, title, opts.emptyText ?? 'Chưa có số liệu') : null;
	return { id, width, title, color: safeColor(opts.color, '#0b6e4f'), empty };
}

/** Horizontal bars, one per item in the given order: label, bar, value. */
export function skillBarChart(items: readonly ChartDatum[], opts: ChartOptions = {}): string {
	const { id, width, title, color, empty } = chartSetup(items.length, opts, { id: 'chart-skills', title: 'Lượt hỗ trợ theo kỹ năng' });
	if (empty) return empty;
	const rowHeight = 32;
	const top = 8;
	const labelWidth = Math.round(width * 0.42);
	const valueWidth = 56;
	const barMax = width - labelWidth - valueWidth - 16;
	const max = Math.max(1, ...items.map((d) => safeNumber(d.value)));
	const maxChars = Math.max(8, Math.floor(labelWidth / (LABEL_PX * 0.55)));
	const bars = items
		.map((d, i) => {
			const value = safeNumber(d.value);
			const y = top + i * rowHeight;
			const w = (value / max) * barMax;
			const x0 = labelWidth + 8;
			return (
				`<g><title>${escapeXml(`${d.label}: ${fmt(value)}`)}</title>` +
				`<text x="${labelWidth}" y="${px(y + rowHeight / 2 + 5)}" text-anchor="end" font-size="${LABEL_PX}" fill="#1e293b">${escapeXml(truncate(d.label, maxChars))}</text>` +
				`<rect x="${x0}" y="${px(y + 5)}" width="${px(Math.max(w, value > 0 ? 2 : 0))}" height="${rowHeight - 10}" rx="3" fill="${color}"/>` +
				`<text x="${px(x0 + w + 6)}" y="${px(y + rowHeight / 2 + 5)}" font-size="${LABEL_PX}" fill="#1e293b">${escapeXml(fmt(value))}</text></g>`
			);
		})
		.join('');
	return frame({ id, width, height: top * 2 + items.length * rowHeight, title, desc: describe(items), body: bars });
}

/** A line over periods, oldest first, with the value on each point and a zero baseline. */
export function trendLineChart(points: readonly ChartDatum[], opts: ChartOptions = {}): string {
	const { id, width, title, color, empty } = chartSetup(points.length, opts, { id: 'chart-trend', title: 'Lượt hỗ trợ theo tháng' });
	if (empty) return empty;
	const height = 240;
	const left = 60;
	const right = 36; // room for half of the last label
	const top = 24;
	const bottom = 44;
	const plotW = width - left - right;
	const plotH = height - top - bottom;
	const max = Math.max(1, ...points.map((p) => safeNumber(p.value)));
	const niceMax = niceCeil(max);
	const step = points.length > 1 ? plotW / (points.length - 1) : 0;
	const xAt = (i: number) => left + (points.length > 1 ? i * step : plotW / 2);
	const yAt = (v: number) => top + plotH - (v / niceMax) * plotH;
	// Every label when they fit (about 64 px for 'MM/YYYY' at 15 px), else every n-th counted
	// back from the latest, which is the one officers look for.
	const labelEvery = points.length > 1 ? Math.max(1, Math.ceil(64 / step)) : 1;

	const grid = [0, 0.5, 1]
		.map((f) => {
			const v = niceMax * f;
			const y = px(yAt(v));
			return (
				`<line x1="${left}" x2="${width - right}" y1="${y}" y2="${y}" stroke="#cbd5e1" stroke-width="1"/>` +
				`<text x="${left - 6}" y="${px(yAt(v) + 4)}" text-anchor="end" font-size="${LABEL_PX}" fill="#475569">${escapeXml(fmt(v))}</text>`
			);
		})
		.join('');
	const line =
		points.length > 1
			? `<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${points.map((p, i) => `${px(xAt(i))},${px(yAt(safeNumber(p.value)))}`).join(' ')}"/>`
			: '';
	const dots = points
		.map((p, i) => {
			const v = safeNumber(p.value);
			const x = px(xAt(i));
			const y = yAt(v);
			const label = (points.length - 1 - i) % labelEvery === 0;
			return (
				`<g><title>${escapeXml(`${p.label}: ${fmt(v)}`)}</title>` +
				`<circle cx="${x}" cy="${px(y)}" r="4" fill="${color}"/>` +
				`<text x="${x}" y="${px(y - 8)}" text-anchor="middle" font-size="${LABEL_PX}" fill="#1e293b">${escapeXml(fmt(v))}</text>` +
				(label ? `<text x="${x}" y="${height - bottom + 22}" text-anchor="middle" font-size="${LABEL_PX}" fill="#475569">${escapeXml(p.label)}</text>` : '') +
				`</g>`
			);
		})
		.join('');
	return frame({ id, width, height, title, desc: describe(points), body: grid + line + dots });
}

/** The smallest round value at least `v` whose half is round too (gridlines at 0, ½, 1). */
function niceCeil(v: number): number {
	if (v <= 10) return Math.max(2, 2 * Math.ceil(v / 2)); // counts: whole halves
	const power = 10 ** Math.floor(Math.log10(v));
	for (const m of [1, 1.2, 1.6, 2, 3, 4, 5, 6, 8, 10]) if (Math.round(m * power) >= v) return Math.round(m * power);
	return 10 * power;
}
