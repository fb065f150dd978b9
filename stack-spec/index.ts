export * from "./build";
export * from "./load";
export * from "./schema";
export * from "./json-schema";
export * from "./nix-options";
