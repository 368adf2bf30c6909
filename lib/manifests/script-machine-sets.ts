import { TreeScript } from './script-text';

/**
 * A MachineSet a script makes or labels: a clone of an existing one (`oc get machineset … -o yaml | sed
 * 's/instanceType.*…/' | oc apply -f -`) with a new instance type, or a patch that gives its nodes the
 * cluster-api/accelerator label. Scripts write these as shell functions called with literal arguments
 * (`clone_machineset g6.xlarge gpu-l4`), so the reader follows a call into the function's positional parameters.
 */
export interface ScriptMachineSet {
  readonly script: string;
  readonly line: number;
  readonly name: string;
  /** The provider spec's instanceType the clone is given. */
  readonly instanceType?: string;
  /** The value of the cluster-api/accelerator label a patch gives its nodes. */
  readonly accelerator?: string;
}

/** What a shell function does with its positional parameters: 1-based indexes, or a literal where the body says it. */
interface MachineSetStep {
  readonly name?: number;
  readonly instanceType?: number;
  readonly accelerator?: number;
}

/** A shell function definition, `name() {` or `function name {`, up to its closing `}` at the start of a line. */
const FUNCTION_START = /^(?:function\s+)?([A-Za-z_][\w:-]*)\s*(?:\(\s*\))?\s*\{\s*$/;

/** A script's lines without comment lines: a commented-out patch labels nothing. */
function liveLines(text: string): string[] {
  return text.split('\n').map((l) => (/^\s*#/.test(l) ? '' : l));
}

/** The shell functions of the scripts by name, each its body's text. */
function functionBodies(scripts: readonly TreeScript[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of scripts) {
    const lines = liveLines(t.text);
    lines.forEach((l, i) => {
      const m = FUNCTION_START.exec(l);
      if (!m) return;
      const end = lines.findIndex((e, j) => j > i && /^\}/.test(e));
      if (end > i) out.set(m[1], lines.slice(i + 1, end).join('\n'));
    });
  }
  return out;
}

/** The body's variables that hold a positional parameter: `VAR=${1:-default}`, `VAR=$1`, `VAR="${1}"`. */
function parameterVariables(body: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)="?\$\{?(\d)(?:[:}-]|"|\s|$)/gm)) out.set(m[1], Number(m[2]));
  return out;
}

/** The first parameter a pattern's `${VAR}` (or `$VAR`, `$1`) stands for. */
function parameterIn(body: string, before: string, params: ReadonlyMap<string, number>): number | undefined {
  for (const m of body.matchAll(new RegExp(`${before}['"]*\\$\\{?([A-Za-z_]\\w*|\\d)\\}?`, 'g'))) {
    const n = /^\d$/.test(m[1]) ? Number(m[1]) : params.get(m[1]);
    if (n) return n;
  }
  return undefined;
}

/**
 * What a function body does to a MachineSet: a clone (a MachineSet read as YAML, its instanceType rewritten by sed, and
 * applied: the instance type and the name sed writes in come from parameters), or a patch of the
 * cluster-api/accelerator label of `patch machineset NAME`.
 */
function stepOf(body: string): MachineSetStep | undefined {
  const params = parameterVariables(body);
  const flat = body.replace(/\\\n/g, ' ');
  // the MachineSet read may be a variable holding `machineset/NAME`, so the body need only speak of MachineSets
  const clones = /\bmachinesets?\b/i.test(flat) && /\bget\s+[^|\n]*-o\s*yaml\s*\|/.test(flat) && /\|\s*(?:oc|kubectl)\s+(?:apply|create)\s+-f\s*-/.test(flat);
  if (clones) {
    const instanceType = parameterIn(body, 's/instanceType[^/]*/instanceType: *', params);
    // the name is the other parameter sed writes in (`s/WORKER/'"${NAME}"'/g`)
    const name = parameterIn(body, '/', new Map([...params].filter(([, n]) => n !== instanceType)));
    return instanceType ? { instanceType, ...(name && name !== instanceType ? { name } : {}) } : undefined;
  }
  const accelerator = parameterIn(body, '"cluster-api/accelerator"\\s*:\\s*"', params);
  const name = parameterIn(body, 'patch\\s+(?:machinesets?(?:\\.machine\\.openshift\\.io)?\\s+|machinesets?/)', params);
  return accelerator && name ? { accelerator, name } : undefined;
}

/** A literal argument: no expansion, quotes removed. */
function literal(word: string | undefined): string | undefined {
  const w = word?.replace(/^"([^"]*)"$|^'([^']*)'$/, '$1$2');
  return w && !/[$`*?]/.test(w) ? w : undefined;
}

/**
 * The MachineSets the scripts clone or label through their shell functions, from each call whose arguments are
 * literals; a clone without a name argument is left out, since its name is the script's to compute.
 */
export function scriptMachineSets(scripts: readonly TreeScript[]): ScriptMachineSet[] {
  const steps = new Map<string, MachineSetStep>();
  for (const [name, body] of functionBodies(scripts)) {
    const step = stepOf(body);
    if (step) steps.set(name, step);
  }
  if (steps.size === 0) return [];
  return scripts.flatMap((t) =>
    liveLines(t.text).flatMap((l, i): ScriptMachineSet[] => {
      const words = l.trim().split(/\s+/);
      const step = steps.get(words[0] ?? '');
      const name = step?.name ? literal(words[step.name]) : undefined;
      if (!step || !name) return [];
      const instanceType = step.instanceType ? literal(words[step.instanceType]) : undefined;
      const accelerator = step.accelerator ? literal(words[step.accelerator]) : undefined;
      if (!instanceType && !accelerator) return [];
      return [{ script: t.script, line: i + 1, name, ...(instanceType ? { instanceType } : {}), ...(accelerator ? { accelerator } : {}) }];
    }),
  );
}
