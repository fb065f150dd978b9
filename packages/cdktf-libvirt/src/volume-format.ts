/** On-disk format of a volume. Copy-on-write overlays must be qcow2. */
export enum VolumeFormat {
  QCOW2 = "qcow2",
  RAW = "raw",
}
