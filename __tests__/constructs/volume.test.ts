import { BaseImage, LibvirtHost, RemovalPolicy, Size, StoragePool, Volume, VolumeFormat } from "cdktf-libvirt";
import { resources, synth } from "../helpers/synth";

describe("Volume", () => {
  test("data-bearing volumes are retained by default (prevent_destroy)", () => {
    const { tf } = synth((s) => Volume.blank(new LibvirtHost(s, "local"), "data", { size: Size.gibibytes(50) }));
    expect(resources(tf, "libvirt_volume").local_data.lifecycle.prevent_destroy).toBe(true);
  });

  test("RemovalPolicy.DESTROY opts out of retention", () => {
    const { tf } = synth((s) =>
      Volume.blank(new LibvirtHost(s, "local"), "scratch", { size: Size.gibibytes(5), removalPolicy: RemovalPolicy.DESTROY }),
    );
    expect(resources(tf, "libvirt_volume").local_scratch.lifecycle.prevent_destroy).toBe(false);
  });

  test("sizes render in the largest whole unit, never as a bare number of guessed unit", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      Volume.blank(host, "a", { size: Size.mebibytes(1536) });
      Volume.blank(host, "b", { size: Size.tebibytes(1), format: VolumeFormat.RAW });
    });
    const volumes = resources(tf, "libvirt_volume");
    expect([volumes.local_a.capacity, volumes.local_a.capacity_unit]).toEqual([1536, "MiB"]);
    expect([volumes.local_b.capacity, volumes.local_b.capacity_unit, volumes.local_b.target]).toEqual([1, "TiB", { format: { type: "raw" } }]);
  });

  test("an overlay lives in its image's pool and is backed by it", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      const pool = new StoragePool(host, "fast", { path: "/srv/fast" });
      const image = new BaseImage(host, "alpine", { source: "https://example.org/alpine.qcow2", pool });
      Volume.fromBaseImage(host, "root", { image, size: Size.gibibytes(10) });
    });
    const volumes = resources(tf, "libvirt_volume");
    expect(volumes.local_root).toMatchObject({
      pool: "${libvirt_pool.local_fast.name}",
      backing_store: { path: "${libvirt_volume.local_alpine.path}", format: { type: "qcow2" } },
    });
    expect(volumes.local_alpine).toEqual({
      name: "alpine.qcow2",
      pool: "${libvirt_pool.local_fast.name}",
      provider: "libvirt.local",
      target: { format: { type: "qcow2" } },
      create: { content: { url: "https://example.org/alpine.qcow2" } },
      lifecycle: { prevent_destroy: true },
    });
  });

  test("a base image can opt out of retention once no disk uses it", () => {
    const { tf } = synth((s) => new BaseImage(new LibvirtHost(s, "local"), "old", { source: "/i.qcow2", removalPolicy: RemovalPolicy.DESTROY }));
    expect(resources(tf, "libvirt_volume").local_old.lifecycle).toEqual({ prevent_destroy: false });
  });

  test("an overlay ignores a changed base image (its blocks are relative to the old one); a blank disk has none", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      Volume.fromBaseImage(host, "root", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), size: Size.gibibytes(10) });
      Volume.blank(host, "data", { size: Size.gibibytes(10) });
    });
    const volumes = resources(tf, "libvirt_volume");
    expect(volumes.local_root.lifecycle.ignore_changes).toEqual(["capacity", "capacity_unit", "backing_store"]);
    expect(volumes.local_data.lifecycle.ignore_changes).toEqual(["capacity", "capacity_unit"]);
  });

  test("two volumes of one name in one pool are refused", () => {
    expect(() =>
      synth((s) => {
        const host = new LibvirtHost(s, "local");
        Volume.blank(host, "a", { size: Size.gibibytes(1), name: "same.qcow2" });
        Volume.blank(host, "b", { size: Size.gibibytes(1), name: "same.qcow2" });
      }),
    ).toThrow('[test/local/b] name: volume "same.qcow2" already exists in this pool (test/local/a)');
  });
});

describe("StoragePool", () => {
  test("an existing pool by name creates nothing", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      Volume.blank(host, "data", { size: Size.gibibytes(1), pool: StoragePool.fromName(host, "Images", "images") });
    });
    expect(tf.resource.libvirt_pool).toBeUndefined();
    expect(resources(tf, "libvirt_volume").local_data.pool).toBe("images");
  });

  test("a dir pool can opt out of retention, and still keeps its directory", () => {
    const { tf } = synth((s) => new StoragePool(new LibvirtHost(s, "local"), "tmp", { path: "/srv/tmp/", removalPolicy: RemovalPolicy.DESTROY }));
    expect(resources(tf, "libvirt_pool").local_tmp).toMatchObject({ target: { path: "/srv/tmp" }, destroy: { delete: false }, lifecycle: { prevent_destroy: false } });
  });
});
