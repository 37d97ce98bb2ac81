import * as fs from "node:fs";

/** The CPU seconds (user and system) a process and every process below it used so far, from /proc (Linux). */
export function cpuOfTree(root: number): number {
    const table = new Map<number, { ppid: number; seconds: number }>();
    for (const name of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        try {
            const fields = fs.readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]!.split(" ");
            table.set(Number(name), { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
        } catch {
            // gone
        }
    }
    let sum = table.get(root)?.seconds ?? 0;
    let frontier = [root];
    while (frontier.length > 0) {
        const next = [...table].filter(([, p]) => frontier.includes(p.ppid)).map(([pid]) => pid);
        for (const pid of next) sum += table.get(pid)!.seconds;
        frontier = next;
    }
    return sum;
}
