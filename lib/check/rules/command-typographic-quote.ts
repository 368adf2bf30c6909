import { strings } from '../../manifests/access';
import { TYPOGRAPHIC_QUOTE, withoutTypographicQuotes } from '../../private/typographic-quotes';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { containersWithLines } from '../written-containers';
import { strayQuotedUrls } from '../stray-quote-urls';

/** An element of a container's command or args that holds a typographic quote, where it is written. */
interface QuotedWord {
  readonly field: 'command' | 'args';
  readonly index: number;
  readonly word: string;
  readonly bare: string;
}

/** The elements of command and args that begin or end with a typographic quote (`“/bin/sh”`, `“-c”`). */
function quotedWords(container: Record<string, unknown>): QuotedWord[] {
  const edge = new RegExp(`^\\s*${TYPOGRAPHIC_QUOTE.source}|${TYPOGRAPHIC_QUOTE.source}\\s*$`);
  return (['command', 'args'] as const).flatMap((field) =>
    strings(container[field]).flatMap((word, index) => (edge.test(word) ? [{ field, index, word, bare: withoutTypographicQuotes(word) ?? word }] : [])),
  );
}

/**
 * Whether the quoted word surely breaks the start: the program itself (the kubelet execs a file named with the quotes,
 * which does not exist), or an option or path (no parser knows `“--port`, no file is named `“/models`). Other text
 * may be meant for display (an echo's words), where the quotes only show.
 */
function breaksStart(w: QuotedWord): boolean {
  return (w.field === 'command' && w.index === 0) || /^[-/]/.test(w.bare);
}

export const commandTypographicQuote: Rule = {
  id: 'command-typographic-quote',
  title:
    "a container's command or args element written between typographic quotes (“/bin/sh”), or a URL-valued value (Tekton param, Argo CD repoURL, Flux source url, env value) ending or beginning with a stray quote: the quotes are part of the string, and the program is not found or the URL is another",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'PipelineRun', 'Pipeline', 'TaskRun', 'Task', 'Application', 'GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'],
  premise:
    "an element of a container's command or args (as written, init containers included) begins or ends with a typographic quote (U+2018 to U+201F: “ ” ‘ ’ „), which YAML reads as a character of a plain scalar, not as a quote; " +
    'an error when the element is the program (command[0]: the kubelet execs a file whose name holds the quotes) or, without the quotes, an option or a path (`“-c”`, `“--port”`, `“/models”`: the program reads another word than the one meant); a warning for other text, which may only be shown; ' +
    "also a URL-valued string (`https://`, `git@host:` and other schemes) that ends with a quote no quote inside it opens, straight or typographic (`https://example.com/repo.git\"`, an unbalanced quote YAML keeps in a plain scalar), or that begins with a quote nothing closes (`\"https://…` in a block scalar): an error in a Tekton param (a PipelineRun's or TaskRun's value, a Pipeline's or Task's default, a value a Pipeline task passes), an Argo CD Application's repoURL, a Flux source's url or endpoint (GitRepository, OCIRepository, HelmRepository, Bucket) and a container env value, which are used as the URL; a value quoted whole (a JSON string) or holding a balanced pair is not judged",
  example: '`command: [“/bin/sh”, “-c”]`',
  fix: 'write the elements with straight quotes ("/bin/sh") or none: retype the quotes a word processor or a web page put in',
  source:
    'YAML 1.2.2 §7.3 (only " and \' start a quoted scalar; “ is a character of a plain one); kubernetes pkg/kubelet/kuberuntime (the container runtime execs command[0] as written: "exec: \\"“/bin/sh”\\": no such file or directory", StartError); RFC 3986 §2 (no `"` in a URL); tektoncd/catalog git-clone (the url param passed to git as written), argo-cd reposerver (repoURL cloned as written), fluxcd/source-controller (spec.url fetched as written)',
  scope: 'object',
  check(o) {
    return [...typographicWords(o.manifest), ...urlQuotes(o.manifest)];
  },
};

/**
 * URL-valued strings that end or begin with a stray quote: an error, whether the value is read as a URL by a
 * controller (Argo CD's repoURL, which its repo server clones; a Flux source's url, which source-controller fetches; a
 * Tekton param, which a git-clone or HTTP step takes as written) or by the program an env value is given to (a value
 * that starts as a URL is one, and no reader strips the quote).
 */
function urlQuotes(m: Record<string, unknown>): Problem[] {
  return strayQuotedUrls(m).map((u) => ({
    message:
      `${u.where} '${u.value}' ${u.value.trim().startsWith(u.quote) ? 'begins' : 'ends'} with a stray ${u.quote}, which YAML keeps as a character of the string (an unbalanced quote: only a quote that opens the scalar is read as one): ` +
      `${u.asUrl ? 'the URL used is another one, and the clone or download fails' : 'the program reading it gets another URL, whose host, port or path does not parse or is not the one meant'}; remove the ${u.quote}, or quote the whole value`,
  }));
}

/** The typographic-quote words of the object's containers. */
function typographicWords(m: Record<string, unknown>): Problem[] {
  return containersWithLines(m).flatMap(({ where, container }): Problem[] => {
    const quoted = quotedWords(container);
    if (!quoted.length) return [];
    const breaking = quoted.filter(breaksStart);
    const shown = quoted.map((w) => `${w.field}[${w.index}] ${w.word}`).join(', ');
    const effect = breaking.some((w) => w.field === 'command' && w.index === 0)
      ? `the kubelet execs a file named ${quoted[0].word}, which does not exist, and the container fails to start (StartError)`
      : breaking.length
        ? `the program receives ${breaking.map((w) => w.word).join(', ')} with the quotes, which is no option or path it knows`
        : 'the program receives the quotes as part of its words';
    return [
      {
        ...(breaking.length ? {} : { severity: 'warning' as const }),
        message: `${where}: ${shown} ${quoted.length > 1 ? 'are' : 'is'} written between typographic quotes, which YAML keeps as characters of the string: ${effect}; write ${quoted.map((w) => JSON.stringify(w.bare)).join(', ')} with straight quotes or none`,
      },
    ];
  });
}
