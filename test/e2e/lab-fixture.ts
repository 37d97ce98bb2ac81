import * as fs from "node:fs";
import * as path from "node:path";
import { addVm, initLab, inspectLab, readLab, type InitLabOptions, type NewVm } from "../../provider/lab";
import { repoRoot, TestStack } from "./harness";

/** A fresh sample lab for one test file, in a throw-away folder. */
export async function freshLab(options: InitLabOptions = { sample: true }): Promise<string> {
    const base = path.join(repoRoot, ".e2e");
    fs.mkdirSync(base, { recursive: true });
    const folder = fs.mkdtempSync(path.join(base, "lab-"));
    await initLab(folder, options);
    return folder;
}

export function vmByName(lab: string, name: string) {
    const vm = readLab(lab).vms.find((v) => v.name === name);
    if (!vm) throw new Error(`no VM ${name} in ${lab}`);
    return vm;
}

export { inspectLab, readLab };

/** The program that e2e tests drive through stack configuration (e2e:policies, e2e:checkpoints). */
export const declaredProgram = path.join(repoRoot, "test", "e2e", "programs", "declared");

/** A fresh lab holding `vms` and a stack of the declared program on it; `dispose` removes both. */
export async function declaredStackOnLab(vms: NewVm[]): Promise<{ lab: string; stack: TestStack; dispose: () => Promise<void> }> {
    const lab = await freshLab({});
    for (const vm of vms) await addVm(lab, vm);
    const stack = await TestStack.create({ program: declaredProgram, config: { "hyperv:host": { value: `lab:${lab}` } } });
    return {
        lab,
        stack,
        dispose: async () => {
            await stack.dispose();
            fs.rmSync(lab, { recursive: true, force: true });
        },
    };
}

/**
 * Registers, in the calling describe, a fresh lab holding `vms` and a stack of the declared
 * program on it: once for the suite, or (`perTest`) for each test. Read `lab` and `stack` inside tests.
 */
export function useDeclaredStack(vms: NewVm[], perTest = false): { lab: string; stack: TestStack } {
    const current = {} as { lab: string; stack: TestStack; dispose?: () => Promise<void> };
    (perTest ? beforeEach : before)(async () => {
        Object.assign(current, await declaredStackOnLab(vms));
    });
    (perTest ? afterEach : after)(() => current.dispose?.());
    return current;
}
