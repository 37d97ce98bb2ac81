#!/usr/bin/env node
import { Command } from "commander";
import { ENDPOINT_DEFAULTS, JEA_CONFIGURATION_FILE, MODULE_FOLDER, SSH_CONFIGURATION_FILE, SSHD_SNIPPET_FILE } from "./files";
import { JEA_ENDPOINT_NAME } from "../target";
import { EndpointOptionError } from "./options";
import { writeEndpointFiles } from "./write";

/*
 * hyperv-checkpoints endpoint <folder>: the files of a restricted endpoint on the Hyper-V host
 * (README "Least privilege" says where each goes).
 */

const program = new Command("hyperv-checkpoints").description("Tools for the hyperv-checkpoints provider.");

program
    .command("endpoint")
    .description("write the files of a restricted PowerShell endpoint that can run the provider's operations and nothing else")
    .argument("<folder>", "where to write the files (created if missing)")
    .option("--account <name>", "the provider's account on the host (DOMAIN\\name or name)", ENDPOINT_DEFAULTS.account)
    .option("--pwsh <path>", "PowerShell 7 on the host, without spaces (sshd_config)", ENDPOINT_DEFAULTS.pwsh)
    .option("--config-dir <folder>", "the folder on the host that will hold the .pssc files", ENDPOINT_DEFAULTS.configDir)
    .action((folder: string, options: { account: string; pwsh: string; configDir: string }) => {
        let written: string[];
        try {
            written = writeEndpointFiles(folder, options);
        } catch (e) {
            // A value the files cannot hold: the administrator reads which and how to fix it, not a stack.
            if (!(e instanceof EndpointOptionError)) throw e;
            process.stderr.write(`hyperv-checkpoints endpoint: ${e.message}\n`);
            process.exitCode = 2;
            return;
        }
        process.stdout.write(
            [
                ...written.map((path) => `wrote ${path}`),
                "",
                `Module: copy the ${MODULE_FOLDER} folder to C:\\Program Files\\PowerShell\\Modules (and C:\\Program Files\\WindowsPowerShell\\Modules for WinRM).`,
                `SSH: copy ${SSH_CONFIGURATION_FILE} to ${options.configDir}, append ${SSHD_SNIPPET_FILE} to sshd_config, restart sshd.`,
                `WinRM: Register-PSSessionConfiguration -Name ${JEA_ENDPOINT_NAME} -Path ${JEA_CONFIGURATION_FILE}.`,
                "Then: pulumi config set hyperv:endpoint installed",
                "",
            ].join("\n"),
        );
    });

program.parse();
