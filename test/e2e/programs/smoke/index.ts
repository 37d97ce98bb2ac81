import * as pulumi from "@pulumi/pulumi";

// The smallest dynamic provider: it proves closure serialisation and the provider process, nothing
// about Hyper-V.
const echoProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: `echo-${inputs.message}`, outs: { message: inputs.message, pid: process.pid } };
    },
    async diff(_id, olds, news) {
        return { changes: olds.message !== news.message, replaces: olds.message !== news.message ? ["message"] : [] };
    },
};

class Echo extends pulumi.dynamic.Resource {
    declare readonly message: pulumi.Output<string>;
    declare readonly pid: pulumi.Output<number>;
    constructor(name: string, message: pulumi.Input<string>) {
        super(echoProvider, name, { message, pid: undefined }, {});
    }
}

const config = new pulumi.Config();
const echo = new Echo("echo", config.get("message") ?? "hello");
export const message = echo.message;
export const providerPid = echo.pid;
