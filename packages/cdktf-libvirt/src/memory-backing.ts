import { Size } from "./size";

// the page sizes of x86_64 (2 MiB, 1 GiB) and of aarch64 with 4 KiB or 64 KiB base pages
const HUGE_PAGE_SIZES = [Size.kibibytes(64), Size.mebibytes(2), Size.mebibytes(32), Size.mebibytes(512), Size.gibibytes(1), Size.gibibytes(16)];

/** What is wrong with huge pages of `pageSize` for `memory`, or undefined. */
export function hugePagesProblem(pageSize: Size, memory: Size): string | undefined {
  if (!HUGE_PAGE_SIZES.some((size) => size.bytes === pageSize.bytes)) {
    return `${pageSize} is not a huge page size (${HUGE_PAGE_SIZES.join(", ")}; x86_64 has 2 MiB and 1 GiB)`;
  }
  if (memory.bytes % pageSize.bytes !== 0) return `memory (${memory}) must be a whole number of ${pageSize} pages`;
  return undefined;
}

/**
 * The provider's memory_backing: huge pages when asked, and memory virtiofsd can map when a virtiofs
 * share needs it (libvirt refuses to start such a domain otherwise).
 */
export function memoryBacking(hugePages: Size | undefined, sharedWithVirtiofsd: boolean) {
  if (!hugePages && !sharedWithVirtiofsd) return undefined;
  return {
    memoryHugePages: hugePages && { hugepages: [{ size: hugePages.bytes / 1024, unit: "KiB" }] },
    // huge pages are shareable as they are; ordinary memory must come from a memfd
    memorySource: sharedWithVirtiofsd && !hugePages ? { type: "memfd" } : undefined,
    memoryAccess: sharedWithVirtiofsd ? { mode: "shared" } : undefined,
  };
}
