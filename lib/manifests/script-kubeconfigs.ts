import * as fs from 'fs';
import * as path from 'path';
import { heredocsIn } from './heredocs';
import { expand, literalVariables } from './script-creations';

/** `--from-file=kubeconfig=PATH` or `--from-file=PATH` of a file named kubeconfig: the Secret key MultiKueue reads (kubectl create secret generic --help). */
const FROM_FILE_KUBECONFIG = /--from-file(?:=|\s+)(?:kubeconfig=)?("[^"]*"|'[^']*'|[^\s;&|]+)/g;
/** The redirect that writes a heredoc to a file: `cat > FILE <<EOF`, `cat <<EOF > FILE`, `tee FILE <<EOF`. */
const WRITTEN_TO = /(?:>\s*|\btee\s+(?:-a\s+)?)("[^"]*"|'[^']*'|[^\s;&|<>]+)/;
/** The bound on a kubeconfig read from the tree. */
const MAX_KUBECONFIG = 256 * 1024;

/** A path word as the shell reads it, with the variables the script set to literals expanded; a leading `$DIR/` it does not know leaves the file's name. */
function fileName(word: string, vars: ReadonlyMap<string, string>): string | undefined {
  const bare = word.replace(/^(["'])(.*)\1$/, '$2');
  const expanded = word.startsWith("'") ? bare : expand(bare, vars);
  const base = path.posix.basename(expanded);
  return /[$`*?]/.test(base) || !base ? undefined : expanded.includes('$') ? base : expanded;
}

/** The text a heredoc before the command writes to the file of that name, expanded as the shell does where its delimiter is unquoted. */
function heredocWritten(source: string, before: number, file: string): string | undefined {
  let found: string | undefined;
  for (const h of heredocsIn(source)) {
    if (h.at >= before) break;
    const lineStart = source.lastIndexOf('\n', h.at - 1) + 1;
    const opening = `${source.slice(lineStart, h.at)} ${h.rest}`;
    const target = WRITTEN_TO.exec(opening)?.[1];
    const vars = literalVariables(source, lineStart);
    const name = target ? fileName(target, vars) : undefined;
    if (name === undefined || path.posix.basename(name) !== path.posix.basename(file)) continue;
    found = h.quote ? h.body : expand(h.body, vars);
  }
  return found;
}

function readSmall(file: string): string | undefined {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > MAX_KUBECONFIG) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The kubeconfig a `kubectl create secret generic NAME --from-file=kubeconfig=FILE` command puts in the Secret: the
 * text a heredoc of the same script writes to FILE before it (`cat > worker.kubeconfig <<EOF`), else the tree's file
 * of that path (from the script's folder, or the checked folder). Undefined where neither is known.
 */
export function scriptKubeconfig(source: string, offset: number, command: string, scriptFolder: string, root: string): string | undefined {
  const vars = literalVariables(source, offset);
  for (const m of command.matchAll(FROM_FILE_KUBECONFIG)) {
    const word = m[1];
    const file = fileName(word, vars);
    if (file === undefined || (!m[0].includes('kubeconfig=') && path.posix.basename(file) !== 'kubeconfig')) continue;
    const written = heredocWritten(source, offset, file);
    if (written !== undefined) return written;
    if (path.isAbsolute(file)) continue;
    const read = [path.join(root, scriptFolder, file), path.join(root, file)].map(readSmall).find((t) => t !== undefined);
    if (read !== undefined) return read;
  }
  return undefined;
}
