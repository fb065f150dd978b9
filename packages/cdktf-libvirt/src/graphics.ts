export interface GraphicsOptions {
  /** Address the display server listens on. @default "127.0.0.1" (reach it through an SSH tunnel) */
  readonly listen?: string;
}

/** A graphical console, for guests that need one; the serial console is always there. */
export class Graphics {
  public static vnc(options: GraphicsOptions = {}): Graphics {
    return new Graphics("vnc", options.listen ?? "127.0.0.1");
  }

  public static spice(options: GraphicsOptions = {}): Graphics {
    return new Graphics("spice", options.listen ?? "127.0.0.1");
  }

  private constructor(
    public readonly protocol: "vnc" | "spice",
    public readonly listen: string,
  ) {}
}
