import type { Command } from "commander";
import { startLabNode, stopLabNode } from "../cluster-operator";
import { globals, report } from "./report";

/** `hyperv-lab node stop|start`: a cluster node fails (its clustered VMs fail over) or comes back. */
export function addNodeCommands(program: Command): void {
    const node = program.command("node").description("stop or start a node of a cluster lab");

    node.command("stop")
        .description("the node goes down: its clustered VMs fail over to the other nodes")
        .argument("<node>", "e.g. node2")
        .action(async (name: string, _options: unknown, command: Command) => {
            const failover = await stopLabNode(globals(command).lab, name);
            const moved = failover.moved.map(
                (m) => `${m.vm} -> ${m.to}${m.lostCheckpoints > 0 ? ` (lost ${m.lostCheckpoints} checkpoint(s) on local storage)` : ""}`,
            );
            const stranded = failover.stranded.map((s) => s.vm);
            report(
                command,
                failover,
                `Node ${failover.node} is down; failed over: ${moved.join(", ") || "none"}; unreachable until it starts: ${stranded.join(", ") || "none"}`,
            );
        });

    node.command("start")
        .description("the node is back (VMs stay where they failed over to: failback is off)")
        .argument("<node>", "e.g. node2")
        .action(async (name: string, _options: unknown, command: Command) => {
            const started = await startLabNode(globals(command).lab, name);
            report(command, started, `Node ${started.name} is up`);
        });
}
