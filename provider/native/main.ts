#!/usr/bin/env node
import { serve } from "./server";

// `pulumi-resource-hyperv <engine address>`: the engine starts it and reads the port it prints.
serve().catch((e: unknown) => {
    process.stderr.write(`pulumi-resource-hyperv: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
