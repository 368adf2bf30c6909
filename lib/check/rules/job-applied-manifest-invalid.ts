import { jobAppliedFiles } from '../job-applied-files';
import { Rule } from '../rule';

export const jobAppliedManifestInvalid: Rule = {
  id: 'job-applied-manifest-invalid',
  title: 'a Job applies a manifest file from a ConfigMap it mounts, and the YAML of that key does not parse: kubectl refuses it and the Job fails',
  severity: 'error',
  appliesTo: ['Job', 'CronJob'],
  premise:
    "a Job's or CronJob's container mounts a ConfigMap of the tree and its script runs `oc|kubectl apply|create|replace -f <path>` on a .yaml or .yml file the mount gives it (the key, or an item's path, under the volume's mountPath), and the key's text is no YAML the API machinery reads (a parse error: bad indentation, a tab, an unclosed quote or bracket); " +
    'kubectl then refuses the file before it sends any object of it, the command fails and so does the Job, and where the script stops on an error (`set -e`, `sh -e`) nothing after it runs. The objects such a file holds, where it parses, count as made by the tree (an operator instance it applies, for operator-instance-missing)',
  example: 'a Job running `oc apply -f /manifests/dsc.yaml` with ConfigMap `platform-manifests` mounted at /manifests, whose key `dsc.yaml` mixes indentation',
  fix: "fix the YAML of the ConfigMap's key (check it with `kubectl apply --dry-run=client -f` on the file)",
  source:
    'kubectl apply (k8s.io/cli-runtime pkg/resource builder: a file that does not decode is an error "error parsing <file>" and the command exits non-zero); Kubernetes Job docs (a container exiting non-zero fails the pod, retried up to backoffLimit); POSIX sh set -e (the shell exits at the first command that fails)',
  check(o, { graph }) {
    return jobAppliedFiles(graph)
      .filter((f) => f.job === o && f.error !== undefined)
      .map((f) => ({
        message:
          `${f.where} runs '${f.command}' (script line ${f.line}) on ${f.path}, which is ${f.from}, and that YAML does not parse (${f.error}): ` +
          `kubectl refuses the file and applies none of its objects, the command fails and the Job with it${f.stopsOnError ? '; the script stops on errors (set -e), so nothing after it runs' : ''}; fix the YAML of that key`,
      }));
  },
};
