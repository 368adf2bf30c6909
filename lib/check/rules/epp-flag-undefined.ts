import { EPP_FLAG_SOURCE, EppRelease, otherSpelling, releasesDeclaring } from '../../catalog/epp-releases';
import { EppContainer, EppFlag, eppContainers } from '../epp-args';
import { SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** How a flag is written back: two dashes, its name. */
const dashed = (name: string) => `--${name}`;

/** The flags some release declares, as the container gives them. */
const judged = (c: EppContainer) => c.flags.filter((f) => releasesDeclaring(f.name).length > 0);

/** What the release declares instead of a flag: the flag in its other spelling (poolName ↔ pool-name), if declared. */
function instead(flag: string, release: EppRelease): string | undefined {
  const other = otherSpelling(flag);
  return Object.prototype.hasOwnProperty.call(release.flags, other) ? other : undefined;
}

/** The releases that declare a flag, shortly: `v0.2.0 to v0.5.1`. */
function span(flag: string): string {
  const rs = releasesDeclaring(flag).map((r) => r.release);
  return rs.length === 1 ? rs[0] : `${rs[0]} to ${rs[rs.length - 1]}`;
}

/** How the release's parser refuses the first undefined flag (Go's flag package; spf13/pflag from v1.3.0). */
function refusal(release: EppRelease, f: EppFlag): string {
  if (release.parser === 'go-flag') return `flag provided but not defined: -${f.name}`;
  return f.dashes === '-' && f.name.length > 1 ? `unknown shorthand flag: '${f.name[0]}' in -${f.name}` : `unknown flag: --${f.name}`;
}

/** The flags the image's release does not declare, and from v1.3.0 (pflag) a long flag written with one dash. */
function undefinedIn(c: EppContainer, release: EppRelease): EppFlag[] {
  return judged(c).filter(
    (f) => !Object.prototype.hasOwnProperty.call(release.flags, f.name) || (release.parser === 'pflag' && f.dashes === '-' && f.name.length > 1),
  );
}

function releaseProblem(c: EppContainer): Problem[] {
  const image = c.image!;
  const wrong = undefinedIn(c, image.release);
  if (!wrong.length) return [];
  const label = image.release.label;
  const each = wrong.map((f) => {
    const other = instead(f.name, image.release);
    const declared = Object.prototype.hasOwnProperty.call(image.release.flags, f.name);
    if (declared) return `${f.word} (write ${dashed(f.name)})`;
    return other ? `${f.word} (write ${dashed(other)})` : `${f.word} (declared by ${span(f.name)})`;
  });
  const moving = image.moving
    ? `; the tag ${image.tag} moves or is not a release the tool holds, so it is judged by ${label}: pin a release and write its flags`
    : '';
  return [
    {
      severity: image.moving ? 'warning' : 'error',
      message:
        `${c.where} passes ${each.join(', ')}, which ${label} does not define: the picker exits at start-up ("${refusal(image.release, wrong[0])}"), ` +
        `the pod crash-loops and the pool's requests get no endpoint${moving}`,
    },
  ];
}

/** Without a known release: flags no single release declares together (camelCase of v0.x beside kebab-case of v1.x). */
function mixedProblem(c: EppContainer): Problem[] {
  const flags = judged(c);
  if (flags.length < 2) return [];
  const all = [...new Set(flags.flatMap((f) => releasesDeclaring(f.name)))];
  if (all.some((r) => flags.every((f) => Object.prototype.hasOwnProperty.call(r.flags, f.name)))) return [];
  const camel = flags.filter((f) => /[A-Z]/.test(f.name));
  const kebab = flags.filter((f) => f.name.includes('-'));
  if (!camel.length || !kebab.length) return [];
  const fixes = camel.map((f) => `${dashed(otherSpelling(f.name))} for ${f.word}`);
  return [
    {
      message:
        `${c.where} mixes flags of two picker generations, ${camel.map((f) => f.word).join(', ')} (camelCase, releases before v1.0) and ` +
        `${kebab.map((f) => f.word).join(', ')} (kebab-case, v1.0 on): no release declares them all, so the picker exits at start-up on the first ` +
        `it does not define ("flag provided but not defined"), the pod crash-loops and the pool's requests get no endpoint; write ${fixes.join(', ')}`,
    },
  ];
}

export const eppFlagUndefined: Rule = {
  id: 'epp-flag-undefined',
  title: 'an endpoint picker is given a flag its release does not define (camelCase flags of v0.x on a v1.x image, or the reverse): it exits at start-up',
  severity: 'error',
  appliesTo: [...SERVICE_BACKEND_KINDS, 'LLMInferenceService', 'LLMInferenceServiceConfig'],
  premise:
    "a container of an endpoint picker image (the Gateway API Inference Extension's epp, llm-d's inference scheduler under either image name) or an LLMInferenceService's spec.router.scheduler.template container passes a flag that some picker release declares and the image's release does not (flags derived per release tag; llm-d's scheduler releases mapped to the extension release their go.mod names; from v1.3.0 spf13/pflag also refuses a long flag with one dash): an error where the tag names a release, a warning where it moves (main, latest) or is not one the table holds, judged by the newest release; where no image tells the release, an error only when the flags mix the camelCase of v0.x with the kebab-case of v1.x, which no release declares together; flags no release declares (controller-runtime's --kubeconfig, --zap-*) are not judged",
  example: '`--poolName` with `--grpc-port` in the scheduler template, or `--pool-name` on `epp:v0.5.1`',
  fix: 'write the flags of the release the image runs: --pool-name, --pool-namespace, --grpc-port… from v1.0; -poolName, -poolNamespace, -grpcPort… before (the message names each)',
  source: `the picker parses its command line once at start-up and exits on an undefined flag: Go's flag package (flag.Parse, ExitOnError: "flag provided but not defined") up to v1.2, spf13/pflag from v1.3 (pkg/epp/server/options.go AddFlags); the flags per release: ${EPP_FLAG_SOURCE} (cmd/epp/runner/runner.go; kebab-case from v1.0.0)`,
  check(o, { graph }) {
    return eppContainers(graph)
      .filter((c) => c.owner === o)
      .flatMap((c) => (c.image ? releaseProblem(c) : mixedProblem(c)));
  },
};
