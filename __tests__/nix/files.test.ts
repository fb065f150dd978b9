import * as fs from "fs";
import * as path from "path";
import { NIX_DIR, ROOT, filesUnder, nixFiles, nixInstantiate, run, shellcheck } from "./helpers";

// The Nix files as text: they parse, their shell passes shellcheck, and the module declares an option
// for every field of the JSON spec.

describe("Nix files", () => {
  test("every .nix file parses", () => {
    const files = nixFiles();
    expect(files.map((f) => path.relative(ROOT, f))).toEqual(
      expect.arrayContaining(["flake.nix", "nix/module.nix", "nix/package.nix", "nix/spec.nix", "nix/unit.nix", "nix/tests/vm.nix"]),
    );
    const r = run(nixInstantiate(), ["--parse", ...files]);
    if (r.status !== 0) throw new Error(`nix-instantiate --parse failed (exit ${r.status}):\n${r.stderr}`);
  });
});

describe("shell", () => {
  const scripts = filesUnder(NIX_DIR, (n) => n.endsWith(".sh"));

  test("the scripts under nix/ pass shellcheck", () => {
    expect(scripts.map((f) => path.basename(f))).toEqual(["default-pool.sh", "deploy-wrapper.sh", "install.sh", "plugin-dir.sh"]);
    const r = run(shellcheck(), ["--shell=bash", "--severity=style", ...scripts]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  // Inline shell in .nix files is marked /* bash */ (the usual editor injection marker); each marked
  // string is checked with its ${...} interpolations replaced by a store path.
  const MARKED = /\/\*\s*bash\s*\*\/\s*''([\s\S]*?)''(?!['$\\])/g;

  function inlineSnippets(): { where: string; text: string }[] {
    const snippets: { where: string; text: string }[] = [];
    for (const file of nixFiles()) {
      const source = fs.readFileSync(file, "utf8");
      for (const m of source.matchAll(MARKED)) {
        const line = source.slice(0, m.index).split("\n").length;
        snippets.push({ where: `${path.relative(ROOT, file)}:${line}`, text: m[1].replace(/\$\{[^}]*\}/g, "/nix/store/placeholder") });
      }
    }
    return snippets;
  }

  test("inline shell in the .nix files passes shellcheck", () => {
    const snippets = inlineSnippets();
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    const problems: string[] = [];
    for (const { where, text } of snippets) {
      // $out and the derivation's other attributes are set by the builder
      const script = `#!/usr/bin/env bash\n# shellcheck disable=SC2154\n${text}`;
      const r = run(shellcheck(), ["--shell=bash", "--severity=style", "-"], { input: script });
      if (r.status !== 0) problems.push(`${where}:\n${r.stdout}${r.stderr}`);
    }
    expect(problems).toEqual([]);
  });

  test("every build phase, script and runCommand body in the .nix files is marked as shell", () => {
    const unmarked: string[] = [];
    for (const file of nixFiles()) {
      const source = fs.readFileSync(file, "utf8");
      const rel = path.relative(ROOT, file);
      for (const m of source.matchAll(/\b(\w*Phase|preBuild|postBuild|preInstall|postInstall|buildCommand|script|preStart|postStart)\s*=\s*''/g)) {
        unmarked.push(`${rel}: ${m[1]}`);
      }
      // from each runCommand to the string that is its script
      for (const m of source.matchAll(/\brunCommand\b/g)) {
        const rest = source.slice(m.index);
        const body = rest.indexOf("''");
        if (body >= 0 && !/\/\*\s*bash\s*\*\/\s*$/.test(rest.slice(0, body))) unmarked.push(`${rel}: runCommand at offset ${m.index}`);
      }
    }
    expect(unmarked).toEqual([]);
  });
});
