// The bench's reading of Vite's minified output: what a chunk imports before it runs (counted in
// the initial JS of `/`), and what it only imports later (the scanner, not counted).
import { describe, expect, it } from 'vitest';
import { staticImports } from '../../bench/initialJs';

describe('staticImports', () => {
	it('finds named, bare and re-exporting imports as Vite writes them', () => {
		const chunk =
			'import{$ as e,A as t}from"../chunks/BI62TC9j.js";import{t as C}from"../chunks/BBDZW_uf.js";import"../chunks/xihTtKlq.js";' +
			'export{l as load_css,a as start}from"../chunks/Dtk31cb6.js";import*as R from"./ns.js";var x=1';
		expect(staticImports(chunk)).toEqual(['../chunks/BI62TC9j.js', '../chunks/BBDZW_uf.js', '../chunks/xihTtKlq.js', '../chunks/Dtk31cb6.js', './ns.js']);
	});

	it('leaves out dynamic imports and look-alikes', () => {
		const chunk =
			'const s=await import("../chunks/scanner.js");__vitePreload(()=>import("./later.js"),[]);' +
			'const m={f:["/_app/immutable/chunks/BL-OD6a-.js"]};x.import("./no.js");const reimport="./text.js"';
		expect(staticImports(chunk)).toEqual([]);
	});
});
