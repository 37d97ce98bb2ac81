import { InvalidArgumentError } from "commander";
import { isGuid } from "../../host/ids";
import type { VmRef } from "../../host/model";
import type { CheckpointRef } from "../operator";

// How hyperv-lab reads the values on its command line: refusals name what was expected.

export function vmRef(text: string): VmRef {
    return isGuid(text) ? { id: text } : { name: text };
}

export function checkpointRef(text: string): CheckpointRef {
    return isGuid(text) ? { id: text } : { name: text };
}

export function onOff(value: string): boolean {
    if (["on", "true", "yes", "enabled"].includes(value)) return true;
    if (["off", "false", "no", "disabled"].includes(value)) return false;
    throw new InvalidArgumentError("expected on or off");
}

export function positiveNumber(value: string): number {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
    return n;
}

/** A cluster has 1 to 64 nodes (Windows Server failover clustering's limit). */
export function nodeCount(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError("expected a whole number of nodes from 1 to 64");
    return n;
}

export function megabytes(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a whole number of megabytes");
    return n;
}

const UNITS: Record<string, number> = { "": 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A size such as 512MB or 20GB (binary units, as Hyper-V Manager shows sizes). */
export function size(value: string): number {
    const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?B)?$/i.exec(value.trim());
    const unit = UNITS[(match?.[2] ?? "").toUpperCase()];
    if (!match || unit === undefined) throw new InvalidArgumentError("expected a size such as 512MB or 20GB");
    return Math.round(Number(match[1]) * unit);
}

export function version(value: string): string {
    if (!/^\d+\.\d+$/.test(value)) throw new InvalidArgumentError("expected a configuration version such as 9.0");
    return value;
}
