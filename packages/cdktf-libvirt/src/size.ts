const UNITS = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;
// libvirt counts capacity in an unsigned 64-bit number of bytes
const BYTES_LIMIT = 2 ** 64;

/** A unit libvirt understands for memory and volume capacity. */
export type SizeUnit = keyof typeof UNITS;

/**
 * An amount of memory or storage. Binary units only: libvirt's "MiB"/"GiB" are what people size VMs in,
 * and a bare number would leave the unit to guess (libvirt reads KiB for memory, bytes for volumes).
 */
export class Size {
  /** What `Size.parse` reads: a number and a binary unit. */
  public static readonly PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB)\s*$/;

  public static bytes(amount: number): Size {
    return new Size(amount, "B");
  }
  public static kibibytes(amount: number): Size {
    return new Size(amount, "KiB");
  }
  public static mebibytes(amount: number): Size {
    return new Size(amount, "MiB");
  }
  public static gibibytes(amount: number): Size {
    return new Size(amount, "GiB");
  }
  public static tebibytes(amount: number): Size {
    return new Size(amount, "TiB");
  }

  /** Parses "2048 MiB", "100GiB", "1 TiB" (binary units; the unit is required). */
  public static parse(text: string): Size {
    const match = Size.PATTERN.exec(text);
    if (!match) {
      throw new Error(`"${text}" is not a size: write a number and one of B, KiB, MiB, GiB, TiB, e.g. "2048 MiB"`);
    }
    return new Size(Number(match[1]), match[2] as SizeUnit);
  }

  /** The amount in bytes. */
  public readonly bytes: number;

  private constructor(amount: number, unit: SizeUnit) {
    if (!Number.isFinite(amount) || amount < 0) {
      throw new Error(`a size must be a finite, non-negative amount (got ${amount} ${unit})`);
    }
    const bytes = amount * UNITS[unit];
    if (!Number.isInteger(bytes)) throw new Error(`${amount} ${unit} is not a whole number of bytes`);
    // a binary unit scales exactly; above 2^53 bytes only a whole, exactly read amount keeps every byte
    if (!Number.isSafeInteger(bytes) && !Number.isSafeInteger(amount)) {
      throw new Error(`${amount} ${unit} cannot be held exactly: above 2^53 bytes give a whole number of a larger unit`);
    }
    if (bytes >= BYTES_LIMIT) throw new Error(`${amount} ${unit} is not below libvirt's limit of 16777216 TiB (2^64 bytes)`);
    this.bytes = bytes;
  }

  /** The amount in `unit`; throws unless it is a whole number (libvirt takes integers). */
  public to(unit: SizeUnit): number {
    const value = this.bytes / UNITS[unit];
    if (!Number.isInteger(value)) {
      throw new Error(`${this} is not a whole number of ${unit}`);
    }
    return value;
  }

  public toMebibytes(): number {
    return this.to("MiB");
  }

  public isWholeNumberOf(unit: SizeUnit): boolean {
    return this.bytes % UNITS[unit] === 0;
  }

  /** The largest unit in which the amount is whole, so "100 GiB" renders as 100 + "GiB", not bytes. */
  public largestWholeUnit(): { value: number; unit: SizeUnit } {
    for (const unit of ["TiB", "GiB", "MiB", "KiB"] as const) {
      if (this.bytes !== 0 && this.isWholeNumberOf(unit)) return { value: this.bytes / UNITS[unit], unit };
    }
    return { value: this.bytes, unit: "B" };
  }

  public toString(): string {
    const { value, unit } = this.largestWholeUnit();
    return `${value} ${unit}`;
  }
}
