// When terraform cannot write its state (a full disk), it prints the whole state as JSON to its output
// as a last resort ("the raw state data is printed above as a JSON object"). That JSON holds every
// secret of the stack, and under systemd the output is the journal. The dump is the only JSON object
// terraform's streamed output has at column 0 (its own lines and provisioner output are indented or
// prefixed): terraform prints it indented, from a bare "{" line to the next bare "}" line; OpenTofu
// prints it on one line. Any line that starts with "{" is therefore withheld.

export class StateDumpFilter {
  private partial = "";
  private dump: string[] | undefined;
  private readonly dumps: string[] = [];

  constructor(private readonly onWithheld: (lines: number) => void) {}

  /** Returns what may be shown of this chunk: whole lines only, the rest waits for the next chunk. */
  write(chunk: string): string {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    return lines.map((line) => this.line(line)).join("");
  }

  /** The output's last line, if it had no newline. */
  end(): string {
    const rest = this.partial;
    this.partial = "";
    const shown = rest === "" ? "" : this.line(rest);
    if (this.dump) this.close();
    return shown;
  }

  /** Every state terraform dumped, as printed. */
  withheld(): readonly string[] {
    return this.dumps;
  }

  private line(line: string): string {
    if (this.dump) {
      this.dump.push(line);
      if (line === "}") this.close();
      return "";
    }
    if (line === "{") {
      this.dump = [line];
      return "";
    }
    if (line.startsWith("{")) {
      this.dump = [line];
      this.close();
      return "";
    }
    return `${line}\n`;
  }

  private close(): void {
    this.dumps.push(this.dump!.join("\n"));
    this.onWithheld(this.dump!.length);
    this.dump = undefined;
  }
}
