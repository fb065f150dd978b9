export { checkStack } from "./check";
export {
  indexProviderSchemas,
  libvirtSchemaFile,
  loadProviderSchemas,
  resolveSource,
  sameProvider,
  type LoadedProviderSchema,
  type ObjectKind,
  type ProviderSchemas,
} from "./provider-schema";
export { classifyString, type StringKind } from "./template";
export type { BlockType, CheckOptions, CtyType, NestedType, NestingMode, SchemaAttribute, SchemaBlock, SchemaIssue } from "./types";
