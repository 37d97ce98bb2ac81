import type * as grpcTypes from "@grpc/grpc-js";
import * as path from "node:path";
import { structValue } from "./values";

/*
 * Pulumi's generated gRPC stubs, as @pulumi/pulumi ships them, with the @grpc/grpc-js and
 * google-protobuf it depends on resolved from it, so that the versions match.
 */

export type Props = Record<string, unknown>;
// The generated stubs are CommonJS without types we can import by path: their messages are used through their getters and setters.
// biome-ignore lint/suspicious/noExplicitAny: protobuf messages of the generated stubs
export type Message = any;

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
export const grpc: typeof grpcTypes = fromPulumi("@grpc/grpc-js");
export const providerPb = require("@pulumi/pulumi/proto/provider_pb");
export const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
export const pluginPb = require("@pulumi/pulumi/proto/plugin_pb");
export const emptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb");
const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb");

export const struct = (value: Props) => structPb.Struct.fromJavaScript(structValue(value));
