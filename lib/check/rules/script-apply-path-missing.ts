import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader in the scripts and READMEs of a checked folder (lib/manifests/script-applies.ts), not on
 * an object: the delivery a script or a README's steps perform stops at a file that is not there.
 */
export const scriptApplyPathMissing: RuleMetadata = {
  id: 'script-apply-path-missing',
  title: 'a script or README of the tree applies a file that does not exist where the command runs',
  severity: 'error',
  appliesTo: ['(scripts)'],
  premise:
    "a `kubectl` or `oc` `apply`, `create` or `replace` in a shell script, Makefile, CI workflow or a README's fenced block names with `-f`/`--filename` or `-k`/`--kustomize` a relative path with a folder (`deploy/app.yaml`) whose folder exists in the tree, but the file exists neither beside the script, nor at the tree's root, nor at the repository's root, nor anywhere in the tree with that path; a bare YAML or JSON file name (`03-secret.yaml`) is judged the same way where the same script applies another bare file name that is there (that file places the command), unless the tree holds that name elsewhere or a README names it outside its commands (a file the reader is told to write); a `cd` to a literal folder is followed, and a README at the tree's root that clones a repository and enters it is at the tree's root (after a `cd` to a variable, or into a clone from elsewhere, nothing more of the script is judged; after a relative `cd` to a literal folder the tree does not hold, a bare file name that no file of the tree bears and no script line writes is a warning naming the `cd`s that led there (the last one down and each one up after it), with the tree's files of a name one or two edits away); paths with variables, globs, URLs or absolute paths are not judged, nor a file some script line writes, downloads or tests for; a path that exists in other case (`falcon-40B` for `falcon-40b`) is a warning: the command fails on Linux only; where the checked folder is in no git work tree (a copy of a repository, or of a part of one) a missing folder (`-k platform/loadgen`) or bare file name is a warning, since the repository may have it where the copy leaves it out (argocd-path-not-in-input hedges an Application's path so), but a YAML or JSON file in a folder the copy holds (`deploy/infra/minio.yaml`) stays an error: it fails beside the script and at the tree's root alike, and a copy leaves out folders, not single files of a folder it keeps",
  example: '`oc apply -f deploy/llmd-deployment.yaml` in a README whose deploy folder holds llmddeployment.yaml',
  fix: 'name the file as it is in the tree (the finding lists files with the same or a close name), or add the missing file',
  source: 'kubectl (k8s.io/cli-runtime resource.Builder, FilenameParam): "error: the path … does not exist"; bash `set -e` exits at the first failing command',
};
