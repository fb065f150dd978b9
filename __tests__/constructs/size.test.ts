import { Size } from "cdktf-libvirt";

describe("Size", () => {
  test("converts between binary units", () => {
    expect(Size.gibibytes(2).toMebibytes()).toBe(2048);
    expect(Size.mebibytes(2048).bytes).toBe(2 * 1024 ** 3);
    expect(Size.tebibytes(1).to("GiB")).toBe(1024);
  });

  test("renders in the largest unit that keeps the amount whole", () => {
    expect(Size.gibibytes(100).largestWholeUnit()).toEqual({ value: 100, unit: "GiB" });
    expect(Size.mebibytes(1536).largestWholeUnit()).toEqual({ value: 1536, unit: "MiB" });
    expect(Size.gibibytes(1.5).toString()).toBe("1536 MiB");
    expect(Size.bytes(1000).largestWholeUnit()).toEqual({ value: 1000, unit: "B" });
  });

  test.each([
    ["2048 MiB", 2048 * 1024 ** 2],
    ["100GiB", 100 * 1024 ** 3],
    [" 1 TiB ", 1024 ** 4],
    ["512 B", 512],
  ])("parses %j", (text, bytes) => {
    expect(Size.parse(text).bytes).toBe(bytes);
  });

  test.each(["2048", "2 GB", "-1 GiB", "GiB", "1e3 MiB"])("rejects %j, whose unit or amount is unclear", (text) => {
    expect(() => Size.parse(text)).toThrow(`"${text}" is not a size: write a number and one of B, KiB, MiB, GiB, TiB, e.g. "2048 MiB"`);
  });

  test("rejects negative and fractional-byte amounts", () => {
    expect(() => Size.gibibytes(-1)).toThrow("a size must be a finite, non-negative amount (got -1 GiB)");
    expect(() => Size.bytes(0.5)).toThrow("0.5 B is not a whole number of bytes");
  });

  test("conversions refuse to round silently", () => {
    expect(() => Size.mebibytes(1536).to("GiB")).toThrow("1536 MiB is not a whole number of GiB");
  });
});
