/** Waits until `condition` holds, polling; fails naming `what` after `ms` (real shells on a loaded machine take seconds). */
export async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
