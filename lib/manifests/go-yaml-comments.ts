import type * as YAMLTypes from 'yaml';

/** The yaml library's words for a `#` that touches the token before it (its lexer's MISSING_CHAR error). */
const UNSEPARATED_COMMENT = /^Comments must be separated from other tokens by white space/;

/** The most passes: each may reveal a comment the parser's first error hid. */
const MAX_PASSES = 5;

/**
 * A `#` right after a quoted scalar or a flow collection (`key: "0 0 * * 0"# weekly`): go-yaml reads a comment there
 * (scannerc.go yaml_parser_scan_to_next_token eats a comment at the start of any token, whitespace before it or not),
 * as libyaml and PyYAML do, so kubectl (sigs.k8s.io/yaml), kustomize (kyaml, go-yaml v3) and Argo CD read the value
 * without it; YAML 1.2 and the yaml library require white space before a comment. Returns the text with one space
 * before each such `#`, and the 1-based lines, or undefined when there is none.
 */
export function separateComments(source: string, YAML: typeof YAMLTypes): { text: string; lines: number[] } | undefined {
  let text = source;
  const lines = new Set<number>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const at = YAML.parseAllDocuments(text, { uniqueKeys: false })
      .flatMap((d) => ('errors' in d ? d.errors : []))
      .filter((e) => e.code === 'MISSING_CHAR' && UNSEPARATED_COMMENT.test(e.message) && text[e.pos[0]] === '#')
      .map((e) => e.pos[0]);
    if (!at.length) break;
    for (const offset of [...new Set(at)].sort((a, b) => b - a)) {
      lines.add(text.slice(0, offset).split('\n').length);
      text = `${text.slice(0, offset)} ${text.slice(offset)}`;
    }
  }
  return lines.size ? { text, lines: [...lines].sort((a, b) => a - b) } : undefined;
}
