import * as path from 'path';
import { terraformFiles } from './terraform-files';

/** A Kubernetes manifest a Terraform configuration applies, as the YAML text of a heredoc, with the line it starts on. */
export interface TerraformManifest {
  readonly file: string;
  readonly line: number;
  readonly yaml: string;
}

/**
 * The heredocs that hand a whole manifest to a provider: gavinbunney/kubectl's `resource "kubectl_manifest"` with
 * `yaml_body = <<-YAML … YAML`, and hashicorp/kubernetes's `kubernetes_manifest` with `manifest = yamldecode(<<-EOT …
 * EOT)`. Terraform's `<<-` strips the smallest indentation of the body's lines (HCL native syntax, "Indented Heredocs").
 */
const HEREDOC = /\b(?:yaml_body|manifest)\s*=\s*(?:yamldecode\(\s*)?<<(-?)([A-Za-z_]\w*)[ \t]*\n/g;

function stripIndent(lines: string[]): string[] {
  const widths = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const least = widths.length ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(Math.min(least, /^[ \t]*/.exec(l)![0].length)));
}

/** The manifest heredocs of one .tf file's text. */
export function terraformHeredocManifests(file: string, source: string): TerraformManifest[] {
  const out: TerraformManifest[] = [];
  for (const m of source.matchAll(HEREDOC)) {
    const start = (m.index ?? 0) + m[0].length;
    const lines = source.slice(start).split('\n');
    const end = lines.findIndex((l) => l.trim() === m[2]);
    if (end < 0) continue;
    const body = lines.slice(0, end);
    const line = source.slice(0, start).split('\n').length;
    out.push({ file, line, yaml: (m[1] === '-' ? stripIndent(body) : body).join('\n') });
  }
  return out;
}

/** The manifest heredocs of the .tf files of the work tree at `root` (terraformFiles: read once, within its bounds). */
export function terraformManifests(root: string): TerraformManifest[] {
  return terraformFiles(root).flatMap((f) => (f.text.includes('<<') ? terraformHeredocManifests(path.join(root, f.script), f.text) : []));
}
