import * as path from "node:path";
import { z } from "zod";

/**
 * Where a Hyper-V host is and how to reach it, from the stack's `hyperv:*` configuration (read in
 * the dynamic provider's `configure`, so credentials never enter a resource's inputs or state).
 *
 *   hyperv:host      lab:<folder>        the embedded simulated host in a folder (relative to the program)
 *                    local               PowerShell on this machine (the Hyper-V host itself)
 *                    ssh://user@host[:port]   PowerShell remoting over SSH (Linux, macOS, Windows)
 *                    winrm://host        PowerShell remoting over WinRM (from Windows only)
 *   hyperv:shell     pwsh | powershell   which PowerShell to start (default: detected)
 *   hyperv:user      user for WinRM, and for SSH when the address names none
 *   hyperv:keyFile   SSH private key file
 *   hyperv:knownHostsFile  SSH known_hosts file holding the host's key (default: ~/.ssh/known_hosts)
 *   hyperv:password  WinRM password: set it with `pulumi config set --secret hyperv:password`
 *   hyperv:timeoutSeconds       per operation (default 120)
 *   hyperv:mergeTimeoutSeconds  for removing a checkpoint, which merges disks (default 1800)
 *   hyperv:maxSessions  shells run side by side on the host (default 4, at most 30); on a cluster, per node
 *   hyperv:endpoint  uploaded | installed   what the remote endpoint runs (default uploaded; installed:
 *                    a restricted endpoint offering only the HypervCheckpoints module, README "Least privilege")
 *   hyperv:nodes     a failover cluster's nodes, instead of hyperv:host: a list of ssh:// or winrm://
 *                    addresses (README "Clusters"); a cluster lab needs none (hyperv:host lab:<folder>)
 *   hyperv:discoverNodes  true: hyperv:nodes lists one node (or a few) and the rest are asked of the cluster
 *                    (Get-ClusterNode), each reached as the listed node is (README "Clusters")
 *   hyperv:migrationWaitSeconds  how long an operation waits for its VM's migration to land (default 120)
 */
/**
 * Every default of the host settings, stated once: the stack's hyperv:* settings default to these,
 * and so do the adapters' own settings when a program or test creates a host directly.
 */
export const DEFAULT_TIMEOUTS = {
    /** Any single operation except removal. */
    operationSeconds: 120,
    /** Remove-VMSnapshot merges differencing disks, which can take long on big disks. */
    removalSeconds: 1800,
    /** Starting the shell and, for remote targets, opening the remote session. */
    connectSeconds: 60,
} as const;

/**
 * How many shells run calls on the host side by side, at most: WinRM's default MaxShellsPerUser
 * (30); more shells than that are refused by a default Windows host.
 */
export const MAX_SESSIONS_LIMIT = 30;

/** Shells side by side by default: why four, README.md ("Connecting to a real Hyper-V host"). */
export const DEFAULT_MAX_SESSIONS = 4;

export const HOST_CONFIG_HELP =
    "set it with `pulumi config set hyperv:host <address>`, where <address> is lab:<folder> (the simulated host), " + "local, ssh://user@host or winrm://host";

const addressSchema = z
    .string()
    .trim()
    .min(1)
    .transform((raw, ctx) => {
        const parsed = parseHostAddress(raw);
        if (typeof parsed === "string") {
            ctx.addIssue({ code: "custom", message: parsed });
            return z.NEVER;
        }
        return parsed;
    });

export type HostAddress =
    | { kind: "lab"; folder: string }
    | { kind: "local" }
    | { kind: "ssh"; host: string; user?: string; port?: number }
    | { kind: "winrm"; host: string };

/**
 * The address as messages may show it: a password written into it (`ssh://user:pw@host`,
 * `winrm://host?password=pw`) is masked, since the message reaches the engine's output and logs.
 */
function shown(raw: string): string {
    return raw.replace(/(\/\/[^/@:]*):[^@]*@/, "$1:***@").replace(/[?#].*$/s, "?***");
}

/** Parses a host address, or returns why it is not one. */
export function parseHostAddress(raw: string): HostAddress | string {
    const value = raw.trim();
    if (value.startsWith("lab:")) {
        const folder = value.slice(4);
        if (!folder) return `"${raw}" names no folder: use lab:<folder>, e.g. lab:.hyperv-lab`;
        return { kind: "lab", folder: path.resolve(folder) };
    }
    if (value === "local") return { kind: "local" };
    const m = /^(ssh|winrm):\/\/(?:([^@/:]+)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?\/?$/.exec(value);
    if (m) {
        const [, scheme, user, host, port] = m;
        if (scheme === "ssh") {
            return { kind: "ssh", host: host!, ...(user ? { user } : {}), ...(port ? { port: Number(port) } : {}) };
        }
        if (user || port) return `"${shown(raw)}": give the WinRM user in hyperv:user, and no port`;
        return { kind: "winrm", host: host! };
    }
    return `"${shown(raw)}" is not a host address: use lab:<folder>, local, ssh://user@host[:port] or winrm://host`;
}

/**
 * hyperv:nodes as Pulumi config gives it: a JSON list (`pulumi config set --path 'hyperv:nodes[0]' ssh://...`)
 * or one comma-separated line. Each node is reached directly, with its own sessions.
 */
const nodesSchema = z
    .string()
    .trim()
    .min(1)
    .transform((raw, ctx) => {
        let list: unknown = raw.split(",").map((s) => s.trim());
        if (raw.startsWith("[")) {
            try {
                list = JSON.parse(raw);
            } catch {
                ctx.addIssue({ code: "custom", message: "is not a JSON list: use `pulumi config set --path 'hyperv:nodes[0]' ssh://user@node1`" });
                return z.NEVER;
            }
        }
        if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === "string")) {
            ctx.addIssue({ code: "custom", message: "must list the nodes' addresses, e.g. ssh://admin@node1,ssh://admin@node2" });
            return z.NEVER;
        }
        const nodes: Exclude<HostAddress, { kind: "lab" | "local" }>[] = [];
        for (const address of list as string[]) {
            const parsed = parseHostAddress(address);
            if (typeof parsed === "string") {
                ctx.addIssue({ code: "custom", message: parsed });
                return z.NEVER;
            }
            if (parsed.kind === "lab" || parsed.kind === "local") {
                ctx.addIssue({
                    code: "custom",
                    message: `"${address}" is not a remote node: list ssh:// or winrm:// addresses (a cluster lab is hyperv:host lab:<folder>, no hyperv:nodes)`,
                });
                return z.NEVER;
            }
            nodes.push(parsed);
        }
        return nodes;
    });

/** A number of seconds above zero, as `pulumi config set` gives it (text); the example is the default. */
function seconds(example: string) {
    return z.coerce.number({ message: `must be a number of seconds, e.g. ${example}` }).positive(`must be more than 0 seconds, e.g. ${example}`);
}

/** The stack's `hyperv:*` settings; each doc comment is the setting's description in the native plugin's schema. */
export const stackConfigSchema = z.object({
    /** The Hyper-V host: lab:<folder> (the simulated host), local, ssh://user@host[:port] or winrm://host. */
    host: addressSchema.optional(),
    /** A failover cluster's nodes instead of host: ssh:// or winrm:// addresses, a list or one comma-separated line. */
    nodes: nodesSchema.optional(),
    /** true: the cluster's other nodes are asked of the nodes listed in nodes (Get-ClusterNode) and reached as they are. */
    discoverNodes: z
        .preprocess(
            (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
            z.enum(["true", "false"], { message: "must be true (ask the cluster for its nodes) or false (the nodes listed in hyperv:nodes only)" }),
        )
        .transform((v) => v === "true")
        .optional(),
    /** Seconds an operation waits for a migration of its VM to land before it fails. */
    migrationWaitSeconds: seconds("120").default(120),
    /** Which PowerShell to start: pwsh or powershell (default: detected). */
    shell: z.enum(["pwsh", "powershell"]).optional(),
    /** The user for WinRM, and for SSH when the address names none. */
    user: z.string().min(1).optional(),
    /** The SSH private key file. */
    keyFile: z.string().min(1).optional(),
    /** The SSH known_hosts file holding the host's key (default: ~/.ssh/known_hosts). */
    knownHostsFile: z.string().min(1).optional(),
    /** The WinRM password: set it with `pulumi config set --secret hyperv:password`. */
    password: z.string().min(1).optional(),
    /** Seconds any single operation may take, except removing a checkpoint. */
    timeoutSeconds: seconds(String(DEFAULT_TIMEOUTS.operationSeconds)).default(DEFAULT_TIMEOUTS.operationSeconds),
    /** Seconds removing a checkpoint may take (it merges differencing disks). */
    mergeTimeoutSeconds: seconds(String(DEFAULT_TIMEOUTS.removalSeconds)).default(DEFAULT_TIMEOUTS.removalSeconds),
    /** Shells run side by side on the host, at most 30. */
    maxSessions: z.coerce
        .number({ message: `must be a whole number of shells from 1 to ${MAX_SESSIONS_LIMIT}, e.g. ${DEFAULT_MAX_SESSIONS}` })
        .int("must be a whole number of shells")
        .min(1, "must be at least 1 (1 runs every operation on the host one after another)")
        .max(MAX_SESSIONS_LIMIT, `must be at most ${MAX_SESSIONS_LIMIT}, WinRM's default MaxShellsPerUser on a Windows host`)
        .default(DEFAULT_MAX_SESSIONS),
    /** What the remote endpoint runs: uploaded (a full PowerShell endpoint; default) or installed (restricted to the HypervCheckpoints module). */
    endpoint: z
        .enum(["uploaded", "installed"], {
            message: 'must be "uploaded" (a full PowerShell endpoint; the default) or "installed" (an endpoint restricted to the HypervCheckpoints module)',
        })
        .optional(),
});
/** Settings that are secrets: never echoed in an error, and marked secret in the native plugin's schema. */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set(["password"]);
export type HostSettings = z.infer<typeof stackConfigSchema>;

/** The subset of Pulumi's dynamic-provider Config we use. */
export interface ConfigSource {
    get(key: string): string | undefined;
}

/** Every `hyperv:*` setting, without its namespace: the one list the reader and the key check share. */
const settingNames = Object.keys(stackConfigSchema.shape) as (keyof typeof stackConfigSchema.shape)[];

/** Reads and validates `hyperv:*`; a bad value is an error naming the key and the fix. */
export function readHostSettings(config: ConfigSource): HostSettings {
    const raw = Object.fromEntries(settingNames.map((k) => [k, config.get(`hyperv:${k}`)]).filter(([, v]) => v !== undefined && v !== ""));
    const parsed = stackConfigSchema.safeParse(raw);
    if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = `hyperv:${String(issue.path[0] ?? "host")}`;
        // Never echo a password back, even an invalid one.
        throw new Error(`invalid stack configuration ${key}: ${SECRET_SETTINGS.has(key.slice("hyperv:".length)) ? "must not be empty" : issue.message}`);
    }
    const credentials = credentialProblem(parsed.data);
    if (credentials) throw new Error(`invalid stack configuration ${credentials}`);
    return parsed.data;
}

/**
 * A user without a password would only fail inside the shell (ConvertTo-SecureString of nothing),
 * and a password the chosen transport never uses would be silently ignored: both are refused here.
 */
function credentialProblem(settings: HostSettings): string | null {
    if (settings.host && settings.nodes) {
        return "hyperv:nodes: a stack addresses one host or one cluster: remove hyperv:host (`pulumi config rm hyperv:host`) to use the nodes, or remove hyperv:nodes";
    }
    if (settings.discoverNodes && !settings.nodes) {
        return "hyperv:discoverNodes: the cluster's nodes are asked of a node listed in hyperv:nodes: list one (`pulumi config set --path 'hyperv:nodes[0]' ssh://user@node1`), or remove hyperv:discoverNodes";
    }
    const kind = settings.host?.kind ?? settings.nodes?.[0]?.kind;
    if (kind === "winrm" && settings.user && !settings.password) {
        return "hyperv:user: a WinRM user needs hyperv:password (`pulumi config set --secret hyperv:password <password>`); remove hyperv:user to connect as the current Windows user";
    }
    if (kind === "winrm" && settings.password && !settings.user) {
        return "hyperv:password: a WinRM password needs hyperv:user (`pulumi config set hyperv:user <DOMAIN\\user>`)";
    }
    if (settings.endpoint === "installed" && kind !== "ssh" && kind !== "winrm") {
        return "hyperv:endpoint: installed is a restricted endpoint on a remote host: use it with an ssh:// or winrm:// hyperv:host, or remove hyperv:endpoint";
    }
    if (kind === "ssh" && settings.password) {
        return "hyperv:password: SSH remoting signs in with a key, not a password: set hyperv:keyFile and remove hyperv:password (`pulumi config rm hyperv:password`)";
    }
    return null;
}

/**
 * The keys the stack's configuration sets, as the engine handed them to the dynamic provider.
 * Pulumi's dynamic-provider Config has only `get` in its type; the map it reads from is there at
 * run time (`rawConfig`, @pulumi/pulumi cmd/dynamic-provider/config.js), and holds every key of
 * the stack. Anything else (a test's plain `get`) lists none, and no key is checked.
 */
export function configuredKeys(config: unknown): string[] {
    const parsed = z.object({ rawConfig: z.record(z.string(), z.unknown()) }).safeParse(config);
    return parsed.success ? Object.keys(parsed.data.rawConfig) : [];
}

/**
 * Checks the `hyperv:*` keys against the settings there are: a key that looks like one of ours (a
 * case slip or a typo or two away, e.g. `hyperv:timeoutSecond`) is an error naming the setting it
 * was meant to be, since the provider would otherwise run with that setting's default and say
 * nothing; any other unknown key gets a warning naming the closest setting. Returns the warnings.
 */
export function checkConfiguredKeys(keys: readonly string[]): string[] {
    const warnings: string[] = [];
    for (const key of keys) {
        if (!key.startsWith("hyperv:")) continue;
        const name = key.slice("hyperv:".length);
        if ((settingNames as string[]).includes(name)) continue;
        const { setting, distance } = closestSetting(name);
        const meant = `hyperv:${setting}`;
        if (distance <= Math.max(2, Math.floor(setting.length / 4))) {
            throw new Error(
                `invalid stack configuration ${key}: hyperv-checkpoints has no setting of that name, so it would be ignored; did you mean ${meant}? ` +
                    `Rename it: \`pulumi config rm ${key}\`, then \`pulumi config set ${meant} <value>\`${setting === "password" ? " --secret" : ""}`,
            );
        }
        warnings.push(
            `stack configuration ${key} is not a setting of hyperv-checkpoints and is ignored (the closest is ${meant}; the settings are ${settingNames.map((n) => `hyperv:${n}`).join(", ")})`,
        );
    }
    return warnings;
}

/** The setting nearest to `name`, by edit distance ignoring case. */
function closestSetting(name: string): { setting: string; distance: number } {
    return settingNames
        .map((setting) => ({ setting, distance: editDistance(name.toLowerCase(), setting.toLowerCase()) }))
        .reduce((best, next) => (next.distance < best.distance ? next : best));
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length]!;
}
