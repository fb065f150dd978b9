/**
 * A user's string as Terraform must receive it to read it literally: Terraform reads "${" and "%{" in any
 * string as the start of an expression or directive, so a bridge "br${x}" or a shell "${HOME}" would
 * be evaluated. cdktf's own escape is the doubled "$${" and "%%{". Every string from props that reaches
 * a resource unvalidated goes through here; references and expressions the constructs make never do.
 */
export function literal(text: string): string {
  // function replacements: in a replacement string "$$" would itself mean "$"
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
