/**
 * Variables a container's image or the container runtime sets, which an env entry means to extend: the kubelet cannot
 * reach the image's value at all (its expansion reads only the pod's own env and the service variables).
 */
const IMAGE_VARIABLES = new Set([
  'PATH',
  'LD_LIBRARY_PATH',
  'LD_PRELOAD',
  'PYTHONPATH',
  'HOME',
  'HOSTNAME',
  'USER',
  'CUDA_HOME',
  'LIBRARY_PATH',
  'CPATH',
  'MANPATH',
]);

/**
 * The shell references (`$NAME`, `${NAME}`) of an env value, scanned as the kubelet scans it
 * (k8s.io/kubernetes third_party/forked/golang/expansion Expand: `$$` is an escaped `$`, `$(NAME)` a reference it
 * expands, any other `$` is copied as it is): those it leaves in the value.
 */
export function shellReferences(value: string): { token: string; name: string }[] {
  const found: { token: string; name: string }[] = [];
  for (let i = 0; i < value.length - 1; i++) {
    if (value[i] !== '$') continue;
    const rest = value.slice(i + 1);
    if (rest.startsWith('$')) {
      i++;
      continue;
    }
    const m = /^(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(rest);
    if (m) found.push({ token: `$${m[0]}`, name: m[1] ?? m[2] });
  }
  return found;
}

/**
 * The shell references of env entry `name`'s value that mean a variable (its own name, one images set, or another entry
 * of the same env list `names`): the kubelet copies them as written. Others may be text (a password holding `$`).
 */
export function meantReferences(value: string, name: string, names: readonly string[]): { token: string; name: string }[] {
  return shellReferences(value).filter((r) => r.name === name || IMAGE_VARIABLES.has(r.name) || names.includes(r.name));
}
