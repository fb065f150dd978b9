/**
 * The dmacvicar/libvirt releases the constructs work with: the 0.9 series from the release the bindings
 * were generated from (0.9.7). Later 0.9 releases keep the schema and fix bugs (0.9.8: the runtime-id
 * inconsistency after an update), so any of them is accepted where it is installed. The NixOS module
 * checks the provider package against the same range (nix/options.nix carries it, generated).
 */
export const PROVIDER_RANGE = { minimum: "0.9.7", below: "0.10.0" } as const;

/** The range as a Terraform version constraint, for the stacks' required_providers. */
export const PROVIDER_VERSIONS = `>= ${PROVIDER_RANGE.minimum}, < ${PROVIDER_RANGE.below}`;
