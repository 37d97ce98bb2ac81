/**
 * The object without its undefined fields: outputs pass through a protobuf Struct, which refuses
 * undefined ("Unexpected struct type"), and a stored declaration should hold only what was set.
 */
export function withoutUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
