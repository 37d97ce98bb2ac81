#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { readHostSettings } from "../config";
import { configureSettings, disconnectAll, hostFor } from "../root";
import { isGuid, type VmRef } from "../host";
import { importFileOf, planAdoption, type ChosenVm } from "./adoption";
import { nativeImportCommand, nativeImportFileOf } from "./native-file";
import { importCommand, programOf } from "./program";

/*
 * hyperv-import: reads the chosen VMs of a Hyper-V host (any address: lab:<folder>, local,
 * ssh://user@host, winrm://host) and writes what `pulumi import --file` needs to adopt their
 * checkpoint policies and checkpoints as they are, plus the program code that declares them.
 * It only reads the host.
 */

function vmRef(text: string): VmRef {
    return isGuid(text) ? { id: text.toLowerCase() } : { name: text };
}

function positive(value: string): string {
    if (!(Number(value) > 0)) throw new InvalidArgumentError("expected a number of seconds");
    return value;
}

interface Options {
    host: string;
    vm: string[];
    file: string;
    code: string;
    policies: boolean;
    checkpoints: boolean;
    protect: boolean;
    declareHost?: boolean;
    force?: boolean;
    native?: boolean;
    shell?: string;
    user?: string;
    keyFile?: string;
    knownHostsFile?: string;
    timeoutSeconds?: string;
}

const program = new Command("hyperv-import")
    .description(
        "Write a `pulumi import --file` file that adopts the checkpoint policies and checkpoints of a host's VMs as they are, " +
            "and the TypeScript that declares them (Pulumi cannot generate code for dynamic resources). Only reads the host.",
    )
    .requiredOption("--host <address>", "the Hyper-V host: lab:<folder>, local, ssh://user@host[:port] or winrm://host")
    .requiredOption("--vm <name-or-id...>", "the VMs to adopt (repeat, or list several); a VM named by id is declared by vmId")
    .option("--file <path>", "the import file to write", "hyperv-import.json")
    .option("--code <path>", "the TypeScript declarations to write", "hyperv-adopted.ts")
    .option("--no-policies", "adopt checkpoints only, not the VMs' checkpoint settings")
    .option("--no-checkpoints", "adopt the VMs' checkpoint settings only, not their checkpoints")
    .option("--no-protect", "do not protect the adopted resources (pulumi import protects them unless given --protect=false)")
    .option("--declare-host", "name --host in every resource (when the stack's hyperv:host is another host)")
    .option("--force", "overwrite --file and --code if they exist")
    .option(
        "--native",
        "for a stack on the native plugin (Pulumi YAML, any language): write an import file of hyperv:index:* types by id, and no --code: `pulumi import --file … --out …` writes the code",
    )
    .addOption(new Option("--shell <shell>", "PowerShell to start (default: detected)").choices(["pwsh", "powershell"]))
    .option("--user <user>", "WinRM user (the password comes from the HYPERV_PASSWORD environment variable)")
    .option("--key-file <path>", "SSH private key file")
    .option("--known-hosts-file <path>", "SSH known_hosts file that holds the host's key")
    .option("--timeout-seconds <seconds>", "per host operation", positive)
    .configureOutput({ outputError: (text, write) => write(`${text.split("\n")[0]}\n`) })
    .action(async (options: Options) => {
        for (const file of options.native ? [options.file] : [options.file, options.code]) {
            if (fs.existsSync(file) && !options.force) throw new Error(`${file} exists: use --force to overwrite it, or another --file/--code`);
        }
        const config: Record<string, string | undefined> = {
            "hyperv:host": options.host,
            "hyperv:shell": options.shell,
            "hyperv:user": options.user,
            "hyperv:keyFile": options.keyFile,
            "hyperv:knownHostsFile": options.knownHostsFile,
            "hyperv:password": process.env.HYPERV_PASSWORD,
            "hyperv:timeoutSeconds": options.timeoutSeconds,
        };
        const settings = readHostSettings({ get: (key) => config[key] });
        configureSettings(settings);
        const host = hostFor(undefined);
        let chosen: ChosenVm[];
        try {
            chosen = [];
            for (const text of options.vm) {
                const ref = vmRef(text);
                chosen.push({ ref, listing: await host.getVmWithCheckpoints(ref) });
            }
        } finally {
            await disconnectAll();
        }
        const plan = planAdoption(
            chosen,
            {
                policies: options.policies,
                checkpoints: options.checkpoints,
                protect: options.protect,
                ...(options.declareHost ? { host: options.host } : {}),
            },
            host.displayName,
        );
        if (plan.resources.length === 0) throw new Error("nothing to adopt: the VMs have no checkpoints that can be adopted, and --no-policies was given");

        const importFile = path.relative(process.cwd(), path.resolve(options.file)) || options.file;
        if (options.native) {
            writeAtomically(options.file, `${JSON.stringify(nativeImportFileOf(plan), null, 2)}\n`);
            const codeFile = options.code.endsWith(".ts") ? `${options.code.slice(0, -3)}.yaml` : options.code;
            process.stdout.write(
                `Wrote ${plan.resources.length} resource(s) to ${options.file}.\n` +
                    [...plan.skipped.map((x) => `  skipped: ${x}\n`), ...plan.notes.map((n) => `  note: ${n}\n`)].join("") +
                    "Next, in the stack's project, run\n" +
                    `  ${nativeImportCommand(importFile, codeFile, options.protect)}\n` +
                    `and put the code it writes to ${codeFile} in the program: \`pulumi preview\` then shows no changes.\n`,
            );
            return;
        }
        writeAtomically(options.file, `${JSON.stringify(importFileOf(plan), null, 2)}\n`);
        writeAtomically(options.code, programOf(plan, { importFile, host: host.displayName }));

        const out: string[] = [];
        for (const r of plan.resources) out.push(`  ${r.kind === "policy" ? "VmCheckpointPolicy" : "Checkpoint"} ${r.name} (VM ${r.vmName}, id ${r.entry.id})`);
        for (const s of plan.skipped) out.push(`  skipped: ${s}`);
        for (const n of plan.notes) out.push(`  note: ${n}`);
        process.stdout.write(
            `Wrote ${plan.resources.length} resource(s) to ${options.file} and their declarations to ${options.code}:\n${out.join("\n")}\n` +
                `Next: put the declarations in the stack's program (import "./${path.basename(options.code, ".ts")}" from index.ts), then run\n` +
                `  ${importCommand(plan, importFile)}\n` +
                "and `pulumi preview` shows no changes. Nothing on the host changes until you change the declarations.\n",
        );
    });

function writeAtomically(file: string, text: string): void {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
}

program.parseAsync(process.argv).catch((e: unknown) => {
    // Host settings come from options here, not from a stack: name the option.
    const message = (e instanceof Error ? e.message : String(e)).replace(
        /^invalid stack configuration hyperv:(\w+)/,
        (_, key: string) => `invalid --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    );
    process.stderr.write(`hyperv-import: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    process.exitCode = 1;
});
