/**
 * What happens to a data-bearing resource (a volume or a pool) when it leaves the configuration or
 * must be replaced.
 */
export enum RemovalPolicy {
  /**
   * Keep it: the resource is rendered with Terraform's `prevent_destroy`, so any plan that would delete
   * or replace it fails. Terraform has no "forget instead of delete", so removing a retained volume from
   * the stack is an error until its policy is changed to DESTROY (and deploy is told to allow it).
   */
  RETAIN = "retain",
  /** Let Terraform delete it. Deploy still refuses the deletion unless its address is allowed. */
  DESTROY = "destroy",
}
