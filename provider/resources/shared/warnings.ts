/**
 * Warnings from inside a provider operation. The dynamic provider process has no engine log
 * channel of its own, so they go to stderr, which the engine records in its logs, and they are
 * also returned to callers that can show them (tests, the lab CLI).
 */
export function warn(message: string): void {
    process.stderr.write(`warning: hyperv-checkpoints: ${message}\n`);
}
