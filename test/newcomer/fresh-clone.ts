import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../e2e/harness";

/*
 * A newcomer's machine, as far as one test can make it: a fresh clone of this commit in a folder
 * named as README assumes (`hyperv-checkpoints`), a home folder of its own (so `pulumi login
 * --local` and its stacks start empty), and on PATH only what README's Set up asks for: a Node.js
 * of at least 22.12 and a Pulumi CLI (with Pulumi YAML's language host, as Pulumi's releases ship it). Nothing reaches the clone from this checkout but its commit.
 *
 * One deviation, to keep the test at a few minutes: `node_modules` is copied from this checkout in
 * place of `npm ci` (the same lock file; `npm ci` compiles tree-sitter and takes minutes).
 */

const run = promisify(execFile);

export interface FreshClone {
    /** The folder that holds the clone and, next to it, a newcomer's own project. */
    work: string;
    /** The clone: `<work>/hyperv-checkpoints`. */
    root: string;
    /** The environment the newcomer's terminal has. */
    env: Record<string, string>;
    restoreRealHome: () => void;
}

/** Variables of this test process that a newcomer's terminal would not have. */
const notTheNewcomers = /^(PULUMI_|HYPERV_|npm_|INIT_CWD$|NODE_OPTIONS$|NODE_PATH$|MOCHA)/;

/**
 * `pulumi login --local` writes the local backend's marker (`meta.yaml`) into the real home's
 * .pulumi (found through the user database) whatever the environment says. The test removes the
 * marker again when it was not there before, and leaves anything else untouched.
 */
function realPulumiMarker(): () => void {
    const marker = path.join(os.userInfo().homedir, ".pulumi", "meta.yaml");
    if (fs.existsSync(marker)) return () => undefined;
    return () => {
        for (const f of [marker, `${marker}.attrs`]) fs.rmSync(f, { force: true });
    };
}

/** Removes the clone, the newcomer's home and project, and what the login left in the real home. */
export function disposeClone(clone: FreshClone): void {
    fs.rmSync(clone.work, { recursive: true, force: true });
    clone.restoreRealHome();
}

export async function freshClone(): Promise<FreshClone> {
    const restoreRealHome = realPulumiMarker();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "hyperv-newcomer-"));
    const root = path.join(work, "hyperv-checkpoints");
    await run("git", ["clone", "--quiet", repoRoot, root]);
    await run("cp", ["-a", path.join(repoRoot, "node_modules"), path.join(root, "node_modules")]);

    const home = path.join(work, "home");
    fs.mkdirSync(home);
    const state = path.join(work, "pulumi-state");
    fs.mkdirSync(state);
    // The Node that README asks for (22.12 or later): this machine's own may be older; the
    // repository's dev dependency is a Node 24 and serves as the one the newcomer installed.
    const nodeDir = path.join(work, "node");
    fs.mkdirSync(nodeDir);
    fs.symlinkSync(fs.realpathSync(path.join(repoRoot, "node_modules", ".bin", "node")), path.join(nodeDir, "node"));
    const { stdout: pulumiDir } = await run("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh")], { cwd: repoRoot });
    // Pulumi's release archives carry Pulumi YAML's language host beside the CLI, and README's YAML
    // steps need it: this puts it there (or prints the folder that has it), failing when it cannot.
    const { stdout: yamlDir } = await run("bash", [path.join(repoRoot, "scripts", "ensure-pulumi-yaml.sh")], { cwd: repoRoot });
    const engineDirs = [...new Set([pulumiDir.trim(), yamlDir.trim()])];

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !notTheNewcomers.test(k)) env[k] = v;
    const systemPath = (process.env.PATH ?? "").split(path.delimiter).filter((p) => p && !p.includes("node_modules"));
    Object.assign(env, {
        PATH: [nodeDir, ...engineDirs, ...systemPath].join(path.delimiter),
        HOME: home,
        // Caches stay where this machine keeps them: the Pulumi CLI built once, npm's packages.
        XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"),
        npm_config_cache: path.join(os.homedir(), ".npm"),
        npm_config_prefer_offline: "true",
        npm_config_update_notifier: "false",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // Pulumi finds `~` through the user database, not $HOME: `pulumi login --local` would put
        // every stack in this machine's real ~/.pulumi, shared with other runs. Its settings go to
        // the newcomer's home, and the stacks to a folder of the test's (the variable wins over a login).
        PULUMI_HOME: path.join(home, ".pulumi"),
        PULUMI_BACKEND_URL: `file://${state}`,
        // The newcomer's "yes" at `pulumi up`'s confirmation prompt.
        PULUMI_SKIP_CONFIRMATIONS: "true",
    });
    return { work, root, env, restoreRealHome };
}
