// The greeting's five marks component, loaded once (GreetingMarks.svelte says why it is apart).
import type { Component } from 'svelte';

let loading: Promise<Component<{ residentId: string | undefined }>> | undefined;

export function loadGreetingMarks(): Promise<Component<{ residentId: string | undefined }>> {
	loading ??= import('./GreetingMarks.svelte').then((mod) => mod.default);
	return loading;
}
