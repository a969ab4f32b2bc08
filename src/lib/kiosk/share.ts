// Getting an export off the tablet: the share sheet (Zalo, e-mail) where the browser can share
// files, a plain download otherwise.

export function downloadFile(file: File): void {
	const url = URL.createObjectURL(file);
	const a = document.createElement('a');
	a.href = url;
	a.download = file.name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 'shared', 'downloaded' (no file sharing here), or 'cancelled' by the person. */
export async function shareOrDownload(file: File, title: string): Promise<'shared' | 'downloaded' | 'cancelled'> {
	if (navigator.canShare?.({ files: [file] })) {
		try {
			await navigator.share({ files: [file], title });
			return 'shared';
		} catch (e) {
			if (e instanceof DOMException && e.name === 'AbortError') return 'cancelled';
		}
	}
	downloadFile(file);
	return 'downloaded';
}

export function csvFile(text: string, name: string): File {
	return new File([text], name, { type: 'text/csv;charset=utf-8' });
}
