import assert from "node:assert/strict";
import { isHostError, sameHostPath, type HostErrorCode } from "../../provider/host";
import { addVm, readLab, takeCheckpointOutOfBand } from "../../provider/lab";
import { hostileNames, hostilePaths, hostileScriptWords } from "../corpus/hostile";
import { freshLab, removeLabs } from "../lab/helpers";
import { ADAPTERS, RealShells, type AdapterKind } from "../powershell/support/real-shells";
import { checkpointOf } from "../host/reads";

/*
 * Every value of the hostile corpus through a real shell, on every adapter of the HyperVHost port:
 * the lab itself, PowerShell 7 on this machine and PowerShell remoting over SSH to 127.0.0.1 (both
 * on the Hyper-V stand-in module, whose state and rules are the lab's). Each value is used as a VM
 * name (read by name, checkpoint taken of the VM so named), as a checkpoint name (taken, renamed
 * to) and as a checkpoint file location (applyCheckpointSettings). A value must arrive on the host
 * byte for byte (the lab's own document says what the host holds) and come back byte for byte in
 * the port's outputs; a value the host refuses is refused the same way on every adapter, with the
 * same error code, and changes nothing. Values are batched: one lab per test holds many VMs.
 *
 * Lone surrogate halves (U+D800 to U+DFFF not in a pair) have no UTF-8 encoding. The lab keeps them
 * (its document is JSON, which escapes them), and Hyper-V's names are UTF-16 and could too, but
 * every other leg of the trip is UTF-8 or a decoder that substitutes U+FFFD. What must happen is
 * what happens to any value: it arrives byte for byte, or it is refused before anything changes,
 * the same on every adapter. A U+FFFD arriving in its place is a silent change: a checkpoint the
 * user did not name, or a VM that is not the one they named. The assertion below is the general
 * one; an adapter that substitutes a value fails the suite.
 */

/**
 * Over Hyper-V's limit in UTF-16 units only: 51 emoji are 51 code points but 102 units, which every
 * adapter (and the resources' check) refuses as Hyper-V does.
 */
const OVER_THE_LIMIT_IN_UNITS = "\uD83D\uDE80".repeat(51);

/** Names, each once: the corpus's names, the words of the adapter's own script text, and the above. */
const names = [...new Set([...hostileNames, ...hostileScriptWords, OVER_THE_LIMIT_IN_UNITS])];
const paths = [...new Set(hostilePaths)];

/*
 * What the lab refuses (the one model of Hyper-V's rules every adapter runs on), written out here
 * so that a change of the lab's rules shows as a failure rather than passing silently.
 */

/** A checkpoint name is 1 to 100 UTF-16 code units, as .NET counts (provider/lab/checkpoints.ts checkName). */
function refusedCheckpointName(name: string): boolean {
    return name.length < 1 || name.length > 100;
}

/**
 * A file location is a drive letter, a colon, a separator and folders none of which is "." or ".."
 * or holds < > : " | ? * (provider/lab/volumes.ts). The pattern's "." stops at line terminators,
 * so a CR, LF, U+2028 or U+2029 anywhere makes a path refused as well.
 */
function refusedFileLocation(path: string): boolean {
    const match = /^[A-Za-z]:[\\/](.*)$/.exec(path);
    if (!match || path.length > 248) return true;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse them
    return match[1]!.split(/[\\/]+/).some((folder) => folder === "." || folder === ".." || /[<>:"|?*\u0000-\u001f]/.test(folder));
}

/**
 * VM names the lab cannot hold, so no adapter can find a VM by them: the empty name (New-VM needs
 * one). Any other name, NUL and line breaks included, is a VM's (its disk file gets a safe name).
 */
function vmNameTheLabCannotHold(name: string): boolean {
    return name === "";
}

/**
 * Text no host can be sent: an unpaired UTF-16 surrogate has no UTF-8 form, so it would arrive as
 * U+FFFD, naming something else. Every adapter refuses it before sending anything to the host (UnsendableText).
 */
function unsendable(text: string): boolean {
    return /\p{Cs}/u.test(text);
}

/** Both refusals are the lab's InvalidParameter records, which classify as HostFailure. */
const REFUSED: HostErrorCode = "HostFailure";

const DEFAULT_LOCATION = "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V";

/**
 * What a culture-aware comparison (PowerShell's -eq and -ceq) may take for the same text: the value
 * without invisible (default-ignorable) and control characters, compatibility-normalised (NFKC).
 * To Hyper-V, which compares names ordinally without case, and to the lab, it is another name: a
 * VM or checkpoint so named is a different one, which a lookup must never return for the value.
 */
function lookalike(value: string): string | undefined {
    const look = value.replace(/[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu, "").normalize("NFKC");
    return look !== value && look.length > 0 ? look : undefined;
}

/**
 * A VM's current file location and a desired one, and whether they are one folder: Windows paths
 * compare without case and without a trailing backslash (sameHostPath in provider/host, the rule
 * of the lab and of the resources' plans). Letters whose cases do not map back and forth and
 * composed against decomposed accents are where comparisons differ.
 */
const locationPairs: readonly { current: string; desired: string; same: boolean }[] = [
    { current: "D:\\Checkpoints\\Web01", desired: "d:\\CHECKPOINTS\\web01\\", same: true },
    // .NET's OrdinalIgnoreCase, as NTFS compares: the Kelvin sign is its own upper case, a final sigma's is Σ.
    { current: "D:\\Checkpoints\\\u212Aelvin", desired: "D:\\Checkpoints\\kelvin", same: false },
    { current: "D:\\Checkpoints\\\u03A3", desired: "D:\\Checkpoints\\\u03C2", same: true },
    { current: "D:\\Checkpoints\\stra\u00DFe", desired: "D:\\Checkpoints\\STRASSE", same: false },
    { current: "D:\\Checkpoints\\\u00C9t\u00E9", desired: "D:\\Checkpoints\\E\u0301te\u0301", same: false },
    { current: "D:\\Checkpoints\\web\u200D01", desired: "D:\\Checkpoints\\web01", same: false },
];

/** Checkpoints each value leaves on its VM at most (lookalike, take, rename, take again): 12 values stay under 50. */
const VALUES_PER_VM = 12;

const shells = new RealShells();

/*
 * The restricted endpoint gets the same payload bytes to the same operation text (the module's
 * functions are generated from the scripts): its proof is the parse-tree one of the function call
 * (scripts.injection.test.ts) and the port contract, not two more minutes of CI here.
 */
const KINDS = ADAPTERS.filter((kind) => kind !== "pwsh-ssh-restricted");

describe("hostile values", () => {
    shells.hooks(KINDS, removeLabs);

    for (const kind of KINDS) {
        describe(`hostile values through ${describeKind(kind)}`, function () {
            this.timeout(300_000);

            it("finds a VM by each name, exactly that VM, and takes its checkpoint there; names it cannot hold are found nowhere", async () => {
                const problems = new Problems();
                // Each name with its lookalike: both are VMs of the lab, and each name must find its own.
                const withLookalikes = [...new Set(names.flatMap((n) => [n, lookalike(n) ?? n]))];
                const used = withLookalikes;
                const holdable = used.filter((n) => !vmNameTheLabCannotHold(n) && !unsendable(n));
                // Hyper-V compares VM names without case: names equal so go to different labs.
                for (const batch of batches(holdable, (n) => n.toLowerCase())) {
                    const { folder } = await freshLab();
                    const ids = new Map<string, string>();
                    for (const name of batch) {
                        await problems.check(name, "added to the lab", async () => {
                            ids.set(name, (await addVm(folder, { name, state: "Off" })).id);
                        });
                    }
                    const host = shells.host(kind, folder);
                    for (const [name, id] of ids) {
                        await problems.check(name, "read by name", async () => {
                            const read = await host.getVmWithCheckpoints({ name });
                            assert.equal(read.vm.id, id, "the VM of exactly that name");
                            assert.equal(read.vm.name, name, "the name comes back as the host holds it");
                            assert.deepEqual(read.checkpoints, []);
                        });
                        await problems.check(name, "checkpointed by VM name", async () => {
                            const taken = await host.takeCheckpoint({ name }, { name: "taken by VM name" });
                            assert.equal(taken.vm.id, id, "the checkpoint is of exactly that VM");
                            assert.equal(taken.vm.name, name);
                            assert.equal(taken.checkpoint.vmName, name);
                            const doc = readLab(folder);
                            const held = doc.checkpoints.find((c) => c.id === taken.checkpoint.id);
                            assert.equal(held?.vmId, id, "the host holds the checkpoint under that VM");
                            assert.equal(doc.vms.find((v) => v.id === id)?.name, name, "the VM's name is unchanged on the host");
                        });
                    }
                    await problems.check("(the lab)", "holds one checkpoint per VM, each VM under its own name", async () => {
                        const doc = readLab(folder);
                        assert.deepEqual(
                            doc.vms.map((v) => v.name),
                            [...ids.keys()],
                        );
                        for (const id of ids.values()) assert.equal(doc.checkpoints.filter((c) => c.vmId === id).length, 1);
                    });
                }

                // A name no VM can have finds no VM, on every adapter; nor one whose name only looks the same.
                const { folder } = await freshLab();
                await addVm(folder, { name: "web01", state: "Off" });
                const host = shells.host(kind, folder);
                const findsNothing = async (name: string) => {
                    const before = hostState(folder);
                    await problems.check(name, "not found by name", () => expectRefusal(host.getVmWithCheckpoints({ name }), "VmNotFound", /virtual machine/i));
                    await problems.check(name, "not checkpointed by name", () =>
                        expectRefusal(host.takeCheckpoint({ name }, { name: "x" }), "VmNotFound", /virtual machine/i),
                    );
                    await problems.check(name, "changed nothing", async () => assert.deepEqual(hostState(folder), before));
                };
                for (const name of used.filter(unsendable)) {
                    const before = hostState(folder);
                    await problems.check(name, "refused as text no host can be sent", () =>
                        expectRefusal(host.getVmWithCheckpoints({ name }), "UnsendableText", /surrogate/),
                    );
                    await problems.check(name, "not checkpointed by name", () =>
                        expectRefusal(host.takeCheckpoint({ name }, { name: "x" }), "UnsendableText", /surrogate/),
                    );
                    await problems.check(name, "changed nothing", async () => assert.deepEqual(hostState(folder), before));
                }
                for (const name of withLookalikes.filter(vmNameTheLabCannotHold)) {
                    await problems.check(name, "refused by the lab", () => assert.rejects(addVm(folder, { name, state: "Off" })));
                    await findsNothing(name);
                }
                for (const name of used.filter(vmNameTheLabCannotHold)) {
                    const look = lookalike(name);
                    if (look === undefined) continue;
                    await addVm(folder, { name: look, state: "Off" });
                    await findsNothing(name);
                }
                problems.assertNone();
            });

            it("takes and renames checkpoints to each name byte for byte, reports exact namesakes, and refuses what Hyper-V refuses everywhere alike", async () => {
                const problems = new Problems();
                const used = names;
                const { folder } = await freshLab();
                const vmIds: string[] = [];
                for (let i = 0; i < used.length; i += VALUES_PER_VM) {
                    vmIds.push((await addVm(folder, { name: `names-${String(vmIds.length).padStart(2, "0")}`, state: "Off" })).id);
                }
                const host = shells.host(kind, folder);
                for (const [i, name] of used.entries()) {
                    const vmId = vmIds[Math.floor(i / VALUES_PER_VM)]!;
                    const refused = refusedCheckpointName(name);
                    let refusedHere = false;
                    let first: string | undefined;
                    // A checkpoint of the VM whose name only looks the same is not a namesake.
                    const look = lookalike(name);
                    if (look !== undefined && !refusedCheckpointName(look)) await takeCheckpointOutOfBand(folder, { id: vmId }, { name: look });
                    const before = hostState(folder);
                    await problems.check(name, refused ? "refused as a checkpoint name" : "taken as a checkpoint name", async () => {
                        const taking = host.takeCheckpoint({ id: vmId }, { name });
                        if (unsendable(name)) {
                            await expectRefusal(taking, "UnsendableText", /surrogate/);
                            assert.deepEqual(hostState(folder), before, "nothing changed on the host");
                            refusedHere = true;
                            return;
                        }
                        if (refused) {
                            await expectRefusal(taking, REFUSED, /name/i);
                            assert.deepEqual(hostState(folder), before, "nothing changed on the host");
                            return;
                        }
                        const taken = await taking;
                        first = taken.checkpoint.id;
                        assert.equal(taken.checkpoint.name, name, "the port returns the name");
                        assert.deepEqual(
                            taken.namesakes.map((c) => c.name),
                            [],
                            "no other checkpoint of the VM has this name",
                        );
                        assert.equal(heldCheckpointName(folder, taken.checkpoint.id), name, "the host holds the name");
                        assert.equal((await checkpointOf(host, vmId, taken.checkpoint.id)).name, name, "the name reads back");
                    });

                    const seed = await takeCheckpointOutOfBand(folder, { id: vmId }, { name: "to be renamed" });
                    const beforeRename = hostState(folder);
                    await problems.check(name, refused ? "refused as a new name" : "given as a new name", async () => {
                        const renaming = host.renameCheckpoint(vmId, seed.checkpoint.id, name);
                        if (unsendable(name)) {
                            await expectRefusal(renaming, "UnsendableText", /surrogate/);
                            assert.deepEqual(hostState(folder), beforeRename, "nothing changed on the host");
                            return;
                        }
                        if (refused) {
                            await expectRefusal(renaming, REFUSED, /name/i);
                            assert.deepEqual(hostState(folder), beforeRename, "nothing changed on the host");
                            return;
                        }
                        const renamed = await renaming;
                        assert.equal(renamed.id, seed.checkpoint.id);
                        assert.equal(renamed.name, name, "the port returns the new name");
                        assert.equal(heldCheckpointName(folder, seed.checkpoint.id), name, "the host holds the new name");
                    });
                    if (refused || refusedHere || first === undefined) continue;

                    await problems.check(name, "taken again: both checkpoints of that name are its namesakes, and no other", async () => {
                        const again = await host.takeCheckpoint({ id: vmId }, { name });
                        assert.equal(again.checkpoint.name, name);
                        assert.deepEqual(again.namesakes.map((c) => c.id).sort(), [first, seed.checkpoint.id].sort());
                        for (const namesake of again.namesakes) assert.equal(namesake.name, name);
                    });
                }
                problems.assertNone();
            });

            it("sets each checkpoint file location byte for byte and takes checkpoints there, and refuses what Hyper-V refuses everywhere alike", async () => {
                const problems = new Problems();
                const used = paths;
                const { folder } = await freshLab();
                const vmIds = new Map<string, string>();
                for (const [i, path] of used.entries()) {
                    vmIds.set(path, (await addVm(folder, { name: `paths-${String(i).padStart(2, "0")}`, state: "Off" })).id);
                }
                const host = shells.host(kind, folder);
                for (const [path, vmId] of vmIds) {
                    const before = hostState(folder);
                    const applying = host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: path });
                    if (unsendable(path)) {
                        await problems.check(path, "refused as text no host can be sent", async () => {
                            await expectRefusal(applying, "UnsendableText", /surrogate/);
                            assert.deepEqual(hostState(folder), before, "nothing changed on the host");
                        });
                        continue;
                    }
                    if (refusedFileLocation(path)) {
                        await problems.check(path, "refused as a file location", async () => {
                            await expectRefusal(applying, REFUSED, /path/i);
                            assert.deepEqual(hostState(folder), before, "nothing changed on the host");
                        });
                        continue;
                    }
                    // The default location, asked for again, is no change (Windows paths compare without case).
                    const expected = sameHostPath(path, DEFAULT_LOCATION) ? DEFAULT_LOCATION : path;
                    let set = false;
                    await problems.check(path, "set as the file location", async () => {
                        const applied = await applying;
                        assert.equal(applied.before.checkpointFileLocation, DEFAULT_LOCATION);
                        assert.equal(applied.after.checkpointFileLocation, expected, "the port returns the location");
                        assert.equal(readLab(folder).vms.find((v) => v.id === vmId)?.checkpointFileLocation, expected, "the host holds the location");
                        assert.equal((await host.getVm({ id: vmId })).checkpointFileLocation, expected, "the location reads back");
                        set = true;
                    });
                    if (!set) continue;
                    await problems.check(path, "holds the files of the next checkpoint", async () => {
                        const taken = await host.takeCheckpoint({ id: vmId }, { name: "in the new place" });
                        assert.equal(readLab(folder).checkpoints.find((c) => c.id === taken.checkpoint.id)?.path, expected);
                    });
                }
                problems.assertNone();
            });

            it("moves the file location exactly when the host's rule says it is another folder", async () => {
                const problems = new Problems();
                const { folder } = await freshLab();
                const used = locationPairs;
                const vmIds = new Map<string, string>();
                for (const [i, { current }] of used.entries()) {
                    vmIds.set(current, (await addVm(folder, { name: `moves-${i}`, state: "Off", checkpointFileLocation: current })).id);
                }
                const host = shells.host(kind, folder);
                for (const { current, desired, same } of used) {
                    const vmId = vmIds.get(current)!;
                    await problems.check(desired, same ? "is the current folder: nothing moves" : "is another folder: the location moves", async () => {
                        assert.equal(sameHostPath(current, desired), same, "the shared rule (sameHostPath) decides");
                        const applied = await host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: desired });
                        const expected = same ? current : desired;
                        assert.equal(applied.after.checkpointFileLocation, expected, "the port returns the location");
                        assert.equal(readLab(folder).vms.find((v) => v.id === vmId)?.checkpointFileLocation, expected, "the host holds the location");
                    });
                }
                problems.assertNone();
            });
        });
    }
});

/** Every value's failures of one test, reported together: one run shows every defect. */
class Problems {
    private readonly found: string[] = [];

    async check(value: string, what: string, run: () => Promise<void>): Promise<void> {
        try {
            await run();
        } catch (e) {
            this.found.push(`${show(value)} ${what}: ${(e instanceof Error ? e.message : String(e)).split("\n").slice(0, 6).join(" | ")}`);
        }
    }

    assertNone(): void {
        assert.equal(this.found.length, 0, `${this.found.length} values went wrong:\n${this.found.join("\n")}`);
    }
}

/** Fails unless `action` is refused with `code` and a message about what was refused. */
async function expectRefusal(action: Promise<unknown>, code: HostErrorCode, about: RegExp): Promise<void> {
    let outcome: unknown;
    try {
        outcome = await action;
    } catch (e) {
        assert.ok(isHostError(e), `expected a HostError ${code}, got ${String(e)}`);
        assert.equal(e.code, code, e.message);
        assert.match(e.message, about);
        return;
    }
    assert.fail(`expected ${code}, but the call succeeded: ${JSON.stringify(outcome).slice(0, 300)}`);
}

/** What the host holds of VMs and checkpoints, to compare before and after a refusal. */
function hostState(folder: string): unknown {
    const { vms, checkpoints } = readLab(folder);
    return { vms, checkpoints };
}

function heldCheckpointName(folder: string, id: string): string | undefined {
    return readLab(folder).checkpoints.find((c) => c.id === id)?.name;
}

/** Splits values into batches in which no two have the same key. */
function batches(values: readonly string[], key: (v: string) => string): string[][] {
    const out: { keys: Set<string>; values: string[] }[] = [];
    for (const value of values) {
        let batch = out.find((b) => !b.keys.has(key(value)));
        if (!batch) {
            batch = { keys: new Set(), values: [] };
            out.push(batch);
        }
        batch.keys.add(key(value));
        batch.values.push(value);
    }
    return out.map((b) => b.values);
}

/** A value as JSON, with what a terminal would not show (or would act on) escaped. */
function show(value: string): string {
    const json = JSON.stringify(value).replace(/[\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Mn}]/gu, (c) =>
        c === " " ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    return json.length <= 70 ? json : `${json.slice(0, 60)}…" (${value.length} units)`;
}

function describeKind(kind: AdapterKind): string {
    return {
        lab: "the lab",
        "pwsh-local": "PowerShell 7 on this machine",
        "pwsh-ssh": "PowerShell remoting over SSH",
        "pwsh-ssh-restricted": "PowerShell remoting over SSH to the restricted endpoint",
    }[kind];
}
