// The filter that keeps terraform's printed state out of the journal, on output shaped as terraform
// 1.11 and OpenTofu 1.10 print it on a full disk (see state-safety.test.ts for the real thing).
import { StateDumpFilter } from "../../deploy/state-dump-filter";

const DUMP = ['{', '  "version": 4,', '  "resources": [{"secret": "s3cret"}]', '}'].join("\n");
const OUTPUT = `terraform_data.a: Creation complete after 0s [id=1]\n${DUMP}\n\nError: Failed to persist state to backend\n`;

test("the dump is withheld, the lines around it pass, whatever the chunk boundaries", () => {
  for (const size of [1, 3, 7, OUTPUT.length]) {
    const withheld: number[] = [];
    const filter = new StateDumpFilter((lines) => withheld.push(lines));
    let shown = "";
    for (let i = 0; i < OUTPUT.length; i += size) shown += filter.write(OUTPUT.slice(i, i + size));
    shown += filter.end();
    expect(shown).toBe("terraform_data.a: Creation complete after 0s [id=1]\n\nError: Failed to persist state to backend\n");
    expect(filter.withheld()).toEqual([DUMP]);
    expect(withheld).toEqual([4]);
  }
});

test("indented braces (plan output, provisioner output) are not a dump; an unterminated dump stays withheld", () => {
  const filter = new StateDumpFilter(() => {});
  expect(filter.write('  + input = {\n    }\nterraform_data.x (local-exec): {\n')).toBe('  + input = {\n    }\nterraform_data.x (local-exec): {\n');
  expect(filter.write('{\n  "version": 4,')).toBe("");
  expect(filter.end()).toBe("");
  expect(filter.withheld()).toEqual(['{\n  "version": 4,']);
});

test("OpenTofu's one-line dump is withheld too", () => {
  const withheld: number[] = [];
  const filter = new StateDumpFilter((lines) => withheld.push(lines));
  const compact = '{"version":4,"serial":1,"resources":[{"secret":"s3cret"}]}';
  expect(filter.write(`tofu line\n${compact.slice(0, 10)}`) + filter.write(`${compact.slice(10)}\n\nError: Failed to save state\n`)).toBe(
    "tofu line\n\nError: Failed to save state\n",
  );
  expect(filter.withheld()).toEqual([compact]);
  expect(withheld).toEqual([1]);
});
