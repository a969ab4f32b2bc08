// Preloaded into the server child by bench/server.ts (node --import): if the bench process dies
// without stopping it (SIGKILL, a crash), the child is re-parented and exits within a second
// instead of lingering on its port. Nothing of the app changes.
const parent = process.ppid;
const timer = setInterval(() => {
	if (process.ppid !== parent) process.exit(1);
}, 500);
timer.unref();
