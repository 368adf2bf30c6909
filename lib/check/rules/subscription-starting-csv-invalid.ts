import { mapping, text } from '../../manifests/access';
import { csvNaming, csvOfOtherPackage } from '../../platform/operator-csv-names';
import { Problem, Rule } from '../rule';

/** The problem with a startingCSV of a Subscription to `pkg` from `source`, if its name cannot be one of the package's. */
function startingCsvProblem(pkg: string, source: string | undefined, csv: string): Problem | undefined {
  const other = csvOfOtherPackage(csv, pkg);
  if (other) {
    return {
      message:
        `spec.startingCSV '${csv}' is a CSV of package ${other.package}, not of ${pkg} (spec.name): OLM looks the starting CSV up among the bundles of package ${pkg} only, ` +
        `finds none of that name and reports ResolutionFailed; nothing is installed. Name a CSV of ${pkg} or subscribe to ${other.package}`,
    };
  }
  const naming = csvNaming(pkg, source);
  if (!naming || naming.names(csv)) return undefined;
  return {
    message:
      `spec.startingCSV '${csv}' cannot be a CSV of package ${pkg} in ${naming.catalog}, whose CSVs are named ${naming.described}: ` +
      `OLM finds no bundle of that name in the channel, the Subscription stays ResolutionFailed and the operator is never installed (nor anything waiting on it); ` +
      `write the CSV of the release you want (e.g. ${naming.example}) or drop spec.startingCSV to start at the channel's head`,
  };
}

export const subscriptionStartingCsvInvalid: Rule = {
  id: 'subscription-starting-csv-invalid',
  title: "an OLM Subscription's startingCSV cannot name a CSV of its package: OLM cannot resolve it and nothing is installed",
  severity: 'error',
  appliesTo: ['Subscription'],
  premise:
    'OLM resolves a Subscription with spec.startingCSV by looking for a bundle of that exact CSV name in the package (spec.name) and channel; a name no bundle carries gives ResolutionFailed and no InstallPlan. Judged: the startingCSV of a package whose CSV naming is known, from the catalog that ships it (rhods-operator: rhods-operator.X.Y.Z without v; nfd: nfd.4.N.P-<build>; gpu-operator-certified: v<YY>.<month>.<dot>; serverless-operator, kueue-operator and opendatahub-operator: v<semver>), and a startingCSV carrying the CSV prefix of another known package than spec.name. A well-formed name is not checked against the releases a catalog holds; unknown packages, and known ones from another catalog, are not judged',
  example: 'Subscription `rhods-operator` with `startingCSV: rhods-operator.v3.4.0`',
  fix: 'write the CSV name as the catalog publishes it (rhods-operator.3.4.0, nfd.4.20.0-<build>, gpu-operator-certified.v26.3.1), or drop spec.startingCSV',
  source:
    'operator-framework/operator-lifecycle-manager pkg/controller/registry/resolver (the starting CSV is looked up by name in the package and channel; not found is ResolutionFailed); red-hat-data-services/RHOAI-Build-Config catalog (rhods-operator.X.Y.Z); openshift/cluster-nfd-operator manifests/art.yaml (nfd.{FULL_VER}); NVIDIA gpu-operator life-cycle policy (calendar versions); lib/platform/operator-csv-names.ts names each source',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (!(text(m.apiVersion) ?? '').startsWith('operators.coreos.com/')) return [];
    const spec = mapping(m.spec);
    const pkg = text(spec.name);
    const csv = text(spec.startingCSV);
    if (!pkg || !csv) return [];
    const problem = startingCsvProblem(pkg, text(spec.source), csv);
    return problem ? [problem] : [];
  },
};
