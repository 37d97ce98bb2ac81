import { execFileSync } from "node:child_process";

/**
 * Fails, loudly, when Pulumi YAML's language host is not on PATH: the YAML suites never skip.
 * scripts/with-pulumi.sh puts it there from ../shared/tools (scripts/ensure-pulumi-yaml.sh), and
 * .ci/run installs it on a fresh machine.
 */
export function requireYamlLanguageHost(): void {
    try {
        execFileSync("sh", ["-c", "command -v pulumi-language-yaml"], { stdio: "pipe" });
    } catch {
        throw new Error(
            "pulumi-language-yaml is not on PATH: run the tests through scripts/with-pulumi.sh, which installs it from ../shared/tools (scripts/ensure-pulumi-yaml.sh)",
        );
    }
}
