/** Hyper-V names VMs and checkpoints by GUID, written 8-4-4-4-12 hex digits in either case. */
export const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(text: string): boolean {
    return GUID_PATTERN.test(text);
}
