import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import { z } from "zod";

/** How a pack author adapts one rule; a stack's policy pack config still overrides both. */
export interface RuleOptions<C> {
    /** The rule's enforcement level unless the pack's config sets another. */
    enforcementLevel?: EnforcementLevel;
    /** Defaults for the rule's settings (the config schema's `default`s). */
    config?: Partial<C>;
}

/**
 * A rule's settings: one zod schema gives both the JSON schema the engine validates the pack's
 * config against (with the defaults filled in) and the parser the rule reads its config with.
 */
export class RuleConfig<C extends Record<string, unknown>> {
    readonly defaults: C;

    constructor(
        private readonly rule: string,
        private readonly schema: z.ZodType<C>,
        defaults: C,
        overrides: Partial<C> = {},
    ) {
        this.defaults = this.parse({ ...defaults, ...overrides }, "the defaults given in code");
    }

    /** For Policy.configSchema. */
    jsonSchema(): PolicyConfigSchema {
        const json = z.toJSONSchema(this.schema, { io: "input" }) as { properties?: Record<string, object> };
        const properties: PolicyConfigSchema["properties"] = {};
        for (const [key, property] of Object.entries(json.properties ?? {})) {
            properties[key] = { ...property, default: this.defaults[key] as never };
        }
        return { properties };
    }

    /** The settings in force: the stack's policy pack config over the defaults. */
    read(args: { getConfig<T extends object>(): T }): C {
        return this.parse({ ...this.defaults, ...args.getConfig<Partial<C>>() }, "the policy pack config");
    }

    private parse(value: unknown, source: string): C {
        const parsed = this.schema.safeParse(value);
        if (!parsed.success) {
            throw new Error(`Policy ${this.rule}: invalid settings in ${source}:\n${z.prettifyError(parsed.error)}\nFix the settings of "${this.rule}".`);
        }
        return parsed.data;
    }
}

/** A regular expression (matched case-insensitively), checked to compile. */
export function regexSchema(message: string) {
    return z.string().refine(
        (source) => {
            try {
                new RegExp(source, "i");
                return true;
            } catch {
                return false;
            }
        },
        { message },
    );
}

export function regexListSchema(what: string) {
    return z.array(regexSchema(`each entry of ${what} must be a valid regular expression`));
}

export function matchesAny(patterns: readonly string[], value: string): string | undefined {
    return patterns.find((p) => new RegExp(p, "i").test(value));
}
