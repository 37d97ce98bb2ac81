import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { endpointFiles, type EndpointOptions } from "./files";

/**
 * Writes the endpoint's files under `folder` and returns their paths. PowerShell files get a UTF-8
 * byte order mark: Windows PowerShell 5.1 reads a file without one in the ANSI code page.
 */
export function writeEndpointFiles(folder: string, options: EndpointOptions): string[] {
    return Object.entries(endpointFiles(options)).map(([relative, text]) => {
        const path = join(folder, relative);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, /\.ps[dmr]1$|\.pss?c$|\.psrc$/.test(relative) ? `\uFEFF${text}` : text, "utf8");
        return path;
    });
}
