import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import {
    checkpointTypeSchema,
    guardRefusal,
    takeWritesMemory,
    vmStateSchema,
    type CheckpointType,
    type GuardRefusal,
    type TakeGuard,
    type Vm,
    type VmStorage,
} from "../../provider/host";
import { preludeDefinitions } from "../../provider/powershell/scripts/prelude";
import { findPwsh, PWSH_HOW, unavailable } from "./support/real-shells";

/*
 * The take guard has one owner (provider/host/take-guard.ts) and a PowerShell side generated from
 * it (generated-guard.ts) that runs on the host inside the take's one round trip. This runs both
 * on the same few hundred cases (volumes nested as mount points and CSVs, paths in any case,
 * chains, minFreeSpace in bytes and percent, every VM state and checkpoint type) in one pwsh, and
 * asks for the same answers, word for word: a change to one side alone fails here.
 */

const execFileAsync = promisify(execFile);
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

interface Case {
    vm: Vm;
    type: CheckpointType | null;
    storage: VmStorage;
    guard: TakeGuard;
}

const ROOTS = ["C:\\", "D:\\", "C:\\ClusterStorage\\Volume1\\", "E:\\Mount\\"];
const anyCase = (path: string, upper: boolean) => (upper ? path.toUpperCase() : path.toLowerCase());

const caseArbitrary: fc.Arbitrary<Case> = fc
    .record({
        volumes: fc.uniqueArray(
            fc.record({
                name: fc.constantFrom(...ROOTS),
                capacity: fc.constantFrom(10 * MiB, 100 * GiB, 1024 * GiB),
                free: fc.oneof(fc.constantFrom(0, 4 * MiB - 1, 4 * MiB, 8 * MiB, 2 * GiB, 4 * GiB + 4 * MiB), fc.integer({ min: 0, max: 200 * GiB })),
            }),
            { minLength: 0, maxLength: 4, selector: (v) => v.name },
        ),
        drives: fc.array(fc.record({ root: fc.constantFrom(...ROOTS, "X:\\"), upper: fc.boolean(), depth: fc.integer({ min: 0, max: 4 }) }), {
            minLength: 0,
            maxLength: 3,
        }),
        location: fc.record({ root: fc.constantFrom(...ROOTS, "X:\\"), upper: fc.boolean() }),
        memoryBytes: fc.constantFrom(0, 512 * MiB, 2 * GiB, 4 * GiB),
        state: fc.constantFrom(...vmStateSchema.options),
        version: fc.constantFrom("5.0", "9.0"),
        backup: fc.constantFrom(
            null,
            { enabled: false, guestResponding: false },
            { enabled: true, guestResponding: false },
            { enabled: true, guestResponding: true },
        ),
        type: fc.constantFrom(null, ...checkpointTypeSchema.options),
        minFreeSpace: fc.oneof(fc.constant(undefined), fc.constantFrom(0, 4 * MiB, 20 * GiB), fc.constantFrom("0%", "5%", "10%", "12.5%", "99.99%")),
        maxChainDepth: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 5 })),
        // A merge under way (the guard's first check), its bytes past 2^32 as well; a PowerShell host knows no bytes, and no percentage for a job it cannot tie to the VM.
        merge: fc.oneof(
            fc.constant(undefined),
            fc.record({ percentComplete: fc.integer({ min: 0, max: 99 }), bytesLeft: fc.integer({ min: 0, max: 200 * GiB }) }, { requiredKeys: [] }),
        ),
    })
    .map((c): Case => {
        const disks: VmStorage["disks"] = [];
        const hardDrives = c.drives.map((d, i) => {
            // A chain of `depth` differencing disks above a base, listed as Get-VHD gives them (exact case).
            const folder = `${d.root}VMs\\vm${i}\\`;
            const chain = [`${folder}base.vhdx`, ...Array.from({ length: d.depth }, (_, k) => `${folder}disk_${k}.avhdx`)];
            for (const [k, path] of chain.entries()) disks.push({ path, parentPath: k === 0 ? null : chain[k - 1]!, fileSize: (k + 1) * MiB });
            // The VM names its current disk in any case: Hyper-V's paths compare without case.
            return anyCase(chain[chain.length - 1]!, d.upper);
        });
        const vm: Vm = {
            id: "00000000-0000-0000-0000-000000000001",
            name: "vm",
            state: c.state,
            version: c.version,
            checkpointType: c.type,
            checkpointFileLocation: anyCase(`${c.location.root}Checkpoints`, c.location.upper),
            automaticCheckpointsEnabled: null,
            parentCheckpointId: null,
            backupService: c.backup,
            hardDrives,
            ...(c.merge !== undefined ? { merge: c.merge } : {}),
        };
        const volumes = c.volumes.map((v) => ({ name: v.name, capacity: v.capacity, freeSpace: Math.min(v.free, v.capacity) }));
        const guard: TakeGuard = {
            ...(c.minFreeSpace !== undefined ? { minFreeSpace: c.minFreeSpace } : {}),
            ...(c.maxChainDepth !== undefined ? { maxChainDepth: c.maxChainDepth } : {}),
        };
        return { vm, type: c.type, storage: { memoryBytes: c.memoryBytes, disks, volumes }, guard };
    });

/** Runs every case through the generated functions in one pwsh: [{ writesMemory, refusal }] in order. */
const check = String.raw`
$cases = @(Get-Content -Raw -LiteralPath $CasesFile | ConvertFrom-Json)
$answers = foreach ($case in $cases) {
    $writes = [bool](Test-HvcpTakeWritesMemory $case.vm ([string]$case.type))
    $refusal = Get-HvcpGuardRefusal $case.vm $case.storage $writes $case.guard
    [ordered]@{ writesMemory = $writes; refusal = $refusal }
}
ConvertTo-Json -InputObject @($answers) -Depth 5 -Compress
`;

describe("the take guard's PowerShell side answers as its one owner, take-guard.ts, does", function () {
    this.timeout(180_000);

    it("the same memory and the same refusal, word for word, on a few hundred cases", async function () {
        const pwsh = findPwsh();
        if (!pwsh) return unavailable(this, "PowerShell 7", PWSH_HOW);
        const cases = [...fc.sample(caseArbitrary, { numRuns: 400, seed: 28 }), ...edgeCases()];
        const dir = mkdtempSync(join(tmpdir(), "hvcp-guard-parity-"));
        writeFileSync(join(dir, "cases.json"), JSON.stringify(cases));
        writeFileSync(join(dir, "check.ps1"), `param([string]$CasesFile)\n${preludeDefinitions}\n${check}`);
        const { stdout } = await execFileAsync(pwsh, ["-NoProfile", "-NonInteractive", "-File", join(dir, "check.ps1"), join(dir, "cases.json")], {
            maxBuffer: 64 * MiB,
        });
        const answers = JSON.parse(stdout) as { writesMemory: boolean; refusal: GuardRefusal | null }[];
        assert.equal(answers.length, cases.length);
        let refused = 0;
        cases.forEach((c, i) => {
            const writesMemory = takeWritesMemory(c.vm, c.type);
            const expected = { writesMemory, refusal: guardRefusal(c.vm, c.storage, writesMemory, c.guard) };
            if (expected.refusal) refused++;
            assert.deepEqual(answers[i], expected, `case ${i}: ${JSON.stringify(c)}`);
        });
        // The cases must exercise both answers of each check, or agreeing would prove little.
        const codes = new Set(answers.map((a) => a.refusal?.code ?? null));
        assert.deepEqual([...codes].sort(), ["ChainTooDeep", "InsufficientSpace", "MergeInProgress", null].sort());
        assert.ok(refused > 40 && refused < cases.length - 40, `refused ${refused} of ${cases.length}`);
        assert.ok(answers.some((a) => a.writesMemory) && answers.some((a) => !a.writesMemory));
        assert.ok(answers.some((a) => a.refusal?.detail.includes("minFreeSpace (12.5%)")));
    });
});

/** Cases a random draw may miss: a volume named by a lower-case path, a mount point inside C:\, a disk that fits to the byte. */
function edgeCases(): Case[] {
    const vm: Vm = {
        id: "00000000-0000-0000-0000-000000000002",
        name: "edge",
        state: "Running",
        version: "9.0",
        checkpointType: "Standard",
        checkpointFileLocation: "c:\\clusterstorage\\volume1",
        automaticCheckpointsEnabled: null,
        parentCheckpointId: null,
        backupService: null,
        hardDrives: ["C:\\ClusterStorage\\Volume1\\VMs\\a.vhdx"],
    };
    const storage = (free: number): VmStorage => ({
        memoryBytes: 2 * GiB,
        disks: [{ path: "C:\\ClusterStorage\\Volume1\\VMs\\a.vhdx", parentPath: null, fileSize: MiB }],
        volumes: [
            { name: "C:\\", capacity: 100 * GiB, freeSpace: 0 },
            { name: "C:\\ClusterStorage\\Volume1\\", capacity: 100 * GiB, freeSpace: free },
        ],
    });
    return [
        { vm, type: "Standard", storage: storage(2 * GiB + 4 * MiB), guard: {} },
        { vm, type: "Standard", storage: storage(2 * GiB + 4 * MiB - 1), guard: {} },
        { vm, type: "Standard", storage: storage(12 * GiB), guard: { minFreeSpace: "10%" } },
        { vm, type: "Production", storage: storage(MiB), guard: { maxChainDepth: 1 } },
    ];
}
