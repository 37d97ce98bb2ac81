import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isHostError, type HostErrorCode } from "../../provider/host/errors";
import { addVm, initLab, LabHost, type InitLabOptions, type NewVm } from "../../provider/lab";

const created: string[] = [];

/** A new lab in its own temp folder, removed by removeLabs(). */
export async function freshLab(options: InitLabOptions = {}): Promise<{ folder: string; host: LabHost }> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "hyperv-lab-test-"));
    created.push(folder);
    await initLab(folder, options);
    return { folder, host: new LabHost(folder) };
}

/** A fresh lab holding one VM. */
export async function labWithVm(spec: Partial<NewVm> = {}, options: InitLabOptions = {}): Promise<{ folder: string; host: LabHost; vmId: string }> {
    const lab = await freshLab(options);
    const vm = await addVm(lab.folder, { name: "web01", state: "Running", ...spec });
    return { ...lab, vmId: vm.id };
}

export function removeLabs(): void {
    for (const folder of created.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
}

/** Asserts that `action` fails with a HostError of `code`; returns it for further checks. */
export async function rejectsWith(action: () => Promise<unknown>, code: HostErrorCode): Promise<Error> {
    try {
        await action();
    } catch (e) {
        assert.ok(isHostError(e), `expected a HostError ${code}, got ${String(e)}`);
        assert.equal(e.code, code, e.message);
        return e;
    }
    assert.fail(`expected ${code}, but the call succeeded`);
}

/** File names (not paths) in a folder of the lab, sorted; [] when it does not exist. */
export function filesIn(folder: string): string[] {
    return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}
