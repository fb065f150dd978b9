/**
 * The dmacvicar/libvirt releases the constructs work with: the 0.9 series from the release the bindings
 * were generated from (0.9.7). Later 0.9 releases keep the schema and fix bugs (0.9.8: the runtime-id
 * inconsistency after an update), so any of them is accepted where it is installed.
 */
export const PROVIDER_VERSIONS = ">= 0.9.7, < 0.10.0";
