import { Loose, mapping, mappings, text } from '../../manifests/access';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { shellTextOf } from '../shell-text';

/** A curl command of a script, up to the end of its line or of the command (`;`, `&&`, `||`, `|`). */
const CURL = /(?:^|[\s;&|(])curl[ \t][^\n;&|]*/g;
/** curl's options that make an HTTP error (4xx, 5xx) fail the command instead of saving the error page (curl man page: -f, --fail, --fail-with-body). */
const FAILS = /(?:^|\s)(?:-[a-zA-Z]*f[a-zA-Z]*|--fail(?:-with-body)?)(?=\s|$)/;
/** The file curl writes: -o FILE, --output FILE (or =FILE). */
const OUTPUT = /(?:^|\s)(?:-[a-zA-Z]*o|--output)(?:=|\s+)['"]?([^\s'"]+)/;

/** The mount paths of the container that hold a PersistentVolumeClaim (a claim, or a StatefulSet's claim template): files there outlive the pod. */
function persistentPaths(m: Loose, container: Loose): string[] {
  const pod = mapping(podSpecOf(m));
  const claims = new Set(mappings(pod.volumes).flatMap((v) => (v.persistentVolumeClaim ? (text(v.name) ?? []) : [])));
  for (const t of mappings(mapping(m.spec).volumeClaimTemplates)) claims.add(text(mapping(t.metadata).name) ?? '');
  return mappings(container.volumeMounts).flatMap((vm) => (claims.has(text(vm.name) ?? '') ? (text(vm.mountPath) ?? []) : []));
}

/** Whether the script tests the file's existence before it downloads (`[ ! -f FILE ]`, `[ -f FILE ] ||`, `test -s FILE`). */
function existsChecked(script: string, file: string): boolean {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:\\[\\[?|test)\\s+(?:!\\s+)?-[efs]\\s+['"]?${escaped}['"]?`).test(script);
}

/** The file a relative name names after the script's last `cd DIR` before it (undefined when no absolute cd precedes it). */
function absolute(file: string, before: string): string | undefined {
  if (file.startsWith('/')) return file;
  const dir = [...before.matchAll(/(?:^|[\s;&|])cd\s+['"]?(\/[^\s;&|'"]*)/g)].pop()?.[1];
  return dir ? `${dir.replace(/\/$/, '')}/${file.replace(/^\.\//, '')}` : undefined;
}

export const downloadErrorPageKept: Rule = {
  id: 'download-error-page-kept',
  title:
    'a container downloads a model with curl without --fail behind an exists-check on a persistent volume: an HTTP error page is saved as the model and kept',
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS.filter((k) => k !== 'InferenceService'),
  premise:
    'a container (an init container, usually) runs `curl … -o FILE` without -f, --fail or --fail-with-body, FILE is on a volume mounted from a PersistentVolumeClaim, and the script skips the download when FILE exists (`[ ! -f FILE ] && curl …`, `if [ ! -e FILE ]`, `test -s FILE ||`): without --fail curl saves the body of an HTTP error (401 on a gated repository, 404 on a moved file) as FILE and exits 0, so the pod goes on to load an error page as the model; the file stays on the volume, and every later start skips the download, so the server keeps failing to load it until someone deletes the file; a warning, since the URL may answer',
  example: '`[ ! -f /models/model.gguf ] && curl -L -o /models/model.gguf` in an init container writing to a PVC',
  fix: 'add --fail (or --fail-with-body) to curl so an HTTP error fails the download, write to a temporary name and move it into place once complete, and check the file (size, a checksum) rather than its existence',
  source:
    'curl man page (-f, --fail: "Fail fast with no output at all on server errors"; without it curl saves the server\'s error document and returns 0; --fail-with-body keeps the body but exits 22); Kubernetes docs "Persistent Volumes" (a claim\'s data outlives the pod)',
  scope: 'object',
  check(o) {
    return containersOf(o.manifest).flatMap(({ name, container, init }): Problem[] => {
      const script = shellTextOf(container);
      const paths = persistentPaths(o.manifest, container);
      if (!paths.length) return [];
      for (const call of script.matchAll(CURL)) {
        const command = call[0].trim();
        const written = OUTPUT.exec(command)?.[1];
        if (!written || FAILS.test(command) || !existsChecked(script, written)) continue;
        const file = absolute(written, script.slice(0, call.index));
        if (!file || !paths.some((p) => file.startsWith(p.replace(/\/?$/, '/')))) continue;
        return [
          {
            message:
              `${init ? 'init ' : ''}container '${name}' downloads ${file} with curl without --fail, behind a check that skips the download when ${file} exists, on a persistent volume: ` +
              'an HTTP error (401 on a gated repository, 404 on a moved file) is saved as the file with exit 0, and every later start keeps it, so the server loads an error page as the model until someone deletes it; ' +
              'add --fail to curl, download to a temporary name and move it into place, and check the file rather than its existence',
          },
        ];
      }
      return [];
    });
  },
};
