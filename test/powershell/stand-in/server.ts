import { recordFor } from "./records";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isHostError } from "../../../provider/host/errors";
import { runCmdlet } from "./cmdlets";

/** What a test can make one cmdlet do instead of (or before) what the lab does. */
export interface StandInFault {
    cmdlet: string;
    /** Waits this long first; the lab then still does the operation, as Hyper-V finishes what it started. */
    stallMs?: number;
    /** Refuses with this record instead of calling the lab. */
    fail?: { fullyQualifiedErrorId: string; category: string; message: string };
    /** Checkpoint-VM -Passthru writes nothing, or the VM, instead of the checkpoint (Microsoft's page says all three). */
    passthru?: "none" | "vm";
    /** Applies to this many calls, then is dropped (default: every call). */
    times?: number;
}

export interface CmdletCall {
    cmdlet: string;
    parameters: Record<string, unknown>;
    psEdition: string;
    /** The process that ran the cmdlet: the shell that really runs the commands (the remote one, over SSH). */
    pid: number;
    /** The cluster node the shell runs on (HYPERV_STANDIN_NODE); null on a stand-alone host. */
    node?: string | null;
}

/**
 * The lab behind the Hyper-V stand-in module, on a loopback port: one POST per cmdlet call. It
 * serves whichever lab folder the test points it at, and records every call.
 */
export class StandInServer {
    lab = "";
    readonly calls: CmdletCall[] = [];
    private faults: StandInFault[] = [];
    private server: Server | null = null;
    url = "";

    async start(): Promise<string> {
        this.server = createServer((req, res) => {
            let body = "";
            req.setEncoding("utf8");
            req.on("data", (chunk: string) => (body += chunk));
            req.on("end", () => {
                void this.answer(body).then((answer) => {
                    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
                    res.end(JSON.stringify(answer));
                });
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        // Shared by every suite of the process: it must not keep the process alive after them.
        this.server.unref();
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
        return this.url;
    }

    /** Makes a cmdlet stall or fail; cleared by `clearFaults`. */
    inject(fault: StandInFault): void {
        this.faults.push({ ...fault });
    }

    clearFaults(): void {
        this.faults = [];
    }

    /** The cmdlets called since the last `resetCalls`, in order. */
    cmdlets(): string[] {
        return this.calls.map((c) => c.cmdlet);
    }

    /** The process that ran the first call of `cmdlet` since the last `resetCalls`. */
    callerOf(cmdlet: string): number | undefined {
        return this.calls.find((c) => c.cmdlet === cmdlet)?.pid;
    }

    resetCalls(): void {
        this.calls.length = 0;
    }

    private async answer(body: string): Promise<unknown> {
        const call = JSON.parse(body) as CmdletCall;
        this.calls.push(call);
        const fault = this.faults.find((f) => f.cmdlet === call.cmdlet);
        if (fault) {
            if (fault.times !== undefined && --fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
            if (fault.stallMs) await new Promise((r) => setTimeout(r, fault.stallMs));
            if (fault.fail)
                return { error: { ...fault.fail, exceptionType: "Microsoft.HyperV.PowerShell.VirtualizationException", target: null, terminating: true } };
        }
        try {
            const ok = (await runCmdlet(this.lab, call.cmdlet, call.parameters, call.node ?? undefined)) ?? null;
            if (fault?.passthru && ok && typeof ok === "object") return { ok: { ...ok, Passthru: fault.passthru } };
            return { ok };
        } catch (e) {
            const record = isHostError(e) ? recordFor(e, call.cmdlet) : (e as { record?: Record<string, string> }).record;
            if (record) return { error: { ...record, target: record.target ?? null, terminating: true } };
            return {
                error: {
                    fullyQualifiedErrorId: "StandInFailure",
                    category: "NotSpecified",
                    message: e instanceof Error ? e.message : String(e),
                    target: null,
                    terminating: true,
                },
            };
        }
    }

    async stop(): Promise<void> {
        const server = this.server;
        this.server = null;
        if (!server) return;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }
}
