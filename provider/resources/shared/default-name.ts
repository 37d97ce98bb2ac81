/*
 * A Checkpoint's or a CheckpointGroup's `name` defaults to the resource's name, except for a
 * checkpoint adopted by id (it keeps the name it has). One rule for both faces: the SDK applies it
 * when the resource is declared, the native plugin in its check, where the engine gives the name.
 */

export function checkpointNameOr<T extends { name?: unknown; adoptId?: unknown }>(args: T, resourceName: string): T {
    return args.name === undefined && args.adoptId === undefined ? { ...args, name: resourceName } : args;
}

export function groupNameOr<T extends { name?: unknown }>(args: T, resourceName: string): T {
    return args.name === undefined ? { ...args, name: resourceName } : args;
}
