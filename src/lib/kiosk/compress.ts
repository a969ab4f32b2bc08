// Text compressed in the browser (CompressionStream): gzip for uploads over a 2G link, deflate-raw
// for the tally QR codes. Null where the browser cannot: the caller sends the text as it is.
export async function compressText(text: string, format: CompressionFormat): Promise<Uint8Array | null> {
	if (typeof CompressionStream === 'undefined') return null;
	try {
		const stream = new Blob([text]).stream().pipeThrough(new CompressionStream(format));
		return new Uint8Array(await new Response(stream).arrayBuffer());
	} catch {
		return null;
	}
}
