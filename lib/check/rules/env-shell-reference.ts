import { Loose, mappings, text } from '../../manifests/access';
import { VLLM_ADDITIONAL_ARGS } from '../command-line';
import { componentContainers, MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { meantReferences } from '../env-references';
import { placeholderOwnValues } from './unrendered-placeholder';
import { EXPANDVARS } from '../../manifests/envsubst-format';

/** The findings of one container's env: shell references the kubelet copies as written, where the value meant a variable. */
function containerProblems(where: string, container: Loose, placeholders: ReadonlySet<string>, filled: (name: string) => boolean): Problem[] {
  const env = mappings(container.env).filter((e) => typeof e.name === 'string');
  const names = env.map((e) => String(e.name));
  return env.flatMap((e, index): Problem[] => {
    const name = String(e.name);
    const value = text(e.value);
    // VLLM_ADDITIONAL_ARGS is eval'ed by the runtimes' shell; a multi-line value is a script its consumer runs
    if (value === undefined || typeof e.value !== 'string' || name === VLLM_ADDITIONAL_ARGS || value.includes('\n')) return [];
    // a `${NAME}` among the object's other unrendered placeholders is one of them: unrendered-placeholder says so
    if (placeholders.has(`${where} env ${name}`)) return [];
    // envsubst fills its references before the kubelet sees the file: only those it leaves are copied as written
    const meant = meantReferences(value, name, names).filter((r) => !filled(r.name));
    if (!meant.length) return [];
    const r = meant[0];
    const earlier = names.slice(0, index).includes(r.name) && r.name !== name;
    const fix = earlier
      ? `write $(${r.name}), which the kubelet expands with the value set earlier in this env list`
      : names.slice(index + 1).includes(r.name)
        ? `define ${r.name} before ${name} in the env list and write $(${r.name}) (the kubelet expands only variables defined earlier in the list)`
        : `write the full value (${r.name === name ? `the image's ${name} included` : `the value of ${r.name}`}): $(${r.name}) does not help, as the kubelet expands only variables of the pod's own env list, never the image's${mappings(container.envFrom).length ? ` (unless an envFrom source of ${where} sets ${r.name})` : ''}`;
    return [
      {
        message:
          `${where} env ${name} is '${value}': the kubelet does not expand shell syntax (${meant.map((m) => `'${m.token}'`).join(', ')}), so the literal text reaches the process` +
          (r.name === name ? ` and replaces the image's ${name}` : '') +
          `; ${fix}`,
      },
    ];
  });
}

export const envShellReference: Rule = {
  id: 'env-shell-reference',
  title: 'a container env value uses shell syntax ($VAR, ${VAR}) to extend a variable: the kubelet copies it as written',
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    "a container's env entry has a one-line literal value holding `$NAME` or `${NAME}` (not `$$`-escaped) where NAME is the entry's own name, a variable images set (PATH, LD_LIBRARY_PATH, PYTHONPATH, HOME, CUDA_HOME, …), or another entry of the same env list; not judged: VLLM_ADDITIONAL_ARGS (the runtimes eval it), multi-line values (scripts), other names (a password may hold `$`), the references envsubst fills in a file rendered with it before it is applied (a script, README or the file's own comment runs it; a script or a guide of the git repository above the checked folder, its Markdown under a docs folder (docs/, site/content/, website/) included, naming the file by its path or by a raw URL of the same repository (raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>, github.com/<owner>/<repo>/raw/<ref>/<path>): envsubst fills every variable, or those its SHELL-FORMAT names, first; Python os.path.expandvars, run the same way, the variables the script exports), a whole value `${NAME}` in an object whose other values hold unrendered `${…}` placeholders (one more of them: unrendered-placeholder reports it)",
  example: "`value: /usr/local/nvidia/lib64:$LD_LIBRARY_PATH` in a container's env",
  fix: "write the full value (the image's part included); for a variable set earlier in the same env list write $(NAME)",
  source:
    "k8s.io/kubernetes third_party/forked/golang/expansion/expand.go (only `$(NAME)` is a reference, `$$` escapes, any other `$` is copied) and pkg/kubelet/kubelet_pods.go makeEnvironmentVariables (the mapping holds the service variables and the entries defined earlier in the list, never the image's env)",
  scope: 'object',
  check(o) {
    const m = o.manifest;
    // envsubst fills `$NAME` and `${NAME}` before the kubelet sees the file: every variable, or those its SHELL-FORMAT names
    // (os.path.expandvars: the variables the script exports, EXPANDVARS)
    const fills = o.renderedWith === 'envsubst' ? (o.envsubstFills ?? 'all') : o.renderedWith === EXPANDVARS ? (o.envsubstFills ?? []) : [];
    // a variable Flux's post-build substitution takes from a substituteFrom ConfigMap or Secret is filled before apply
    const flux = o.fluxSubstitution?.unknown ?? [];
    const filled = (name: string) => fills === 'all' || fills.includes(name) || flux.includes(name);
    return [
      ...containersOf(m).map(({ name, container }) => ({ where: `container '${name}'`, container })),
      ...templateContainers(m).map(({ where, container }) => ({ where, container })),
      ...componentContainers(m).map(({ where, container }) => ({ where, container })),
    ].flatMap(({ where, container }) => containerProblems(where, container, placeholderOwnValues(m), filled));
  },
};
