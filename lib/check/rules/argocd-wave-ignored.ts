import { finite, mapping, mappings, stringMap, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { apiGroupOf } from '../../k8s/api-version';
import { deliveredBy, deliverersOf, waveOf } from '../argocd/application';
import { APPLICATION_HEALTH_KEY, applicationHealthConfigured, orderedBefore } from '../argocd/application-health';
import { unawaitedWave } from '../argocd/wave-dependencies';
import { generatedFrom } from '../application-sets';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { onOpenShift } from '../platform';
import { SYNC_WAVE_ANNOTATION } from '../../k8s/keys';
import { holdsTemplate } from '../template-syntax';
import { heldDeliverer } from '../argocd/held-parents';

/**
 * Whether another Application of the input has a source whose path or repository a script fills in
 * (`overlays/${OVERLAY}`): what it delivers is unknown, so it may well deliver this one.
 */
function unresolvedDeliverer(o: GraphObject, graph: ObjectGraph): boolean {
  return graph.ofKind('Application').some((app) => {
    if (app === o) return false;
    const spec = mapping(app.manifest.spec);
    return [mapping(spec.source), ...mappings(spec.sources)].some((s) => [s.path, s.repoURL].some((v) => typeof v === 'string' && holdsTemplate(v)));
  });
}

/** An Application's retry budget is unbounded when syncPolicy.retry.limit is negative (controller/appcontroller.go). */
function retriesWithoutLimit(app: GraphObject): boolean {
  const limit = finite(mapping(mapping(mapping(app.manifest.spec).syncPolicy).retry).limit);
  return limit !== undefined && limit < 0;
}

/** What an object needs to exist before it can be applied at all: its Namespace and the CRD of its kind. */
function prerequisitesOf(x: GraphObject, graph: ObjectGraph): GraphObject[] {
  const out: GraphObject[] = [];
  const kind = String(x.manifest.kind);
  const namespace = text(mapping(x.manifest.metadata).namespace);
  if (namespace && !isClusterScoped(kind)) {
    const ns = graph.find('Namespace', namespace);
    if (ns) out.push(ns);
  }
  const group = apiGroupOf(x.manifest.apiVersion);
  out.push(...graph.crdsDefining(group, kind));
  return out;
}

function onApplicationSet(o: GraphObject): Problem[] {
  const template = mapping(mapping(o.manifest.spec).template);
  const wave = stringMap(mapping(template.metadata).annotations)[SYNC_WAVE_ANNOTATION];
  if (wave === undefined) return [];
  return [
    {
      message: `its template gives the generated Applications sync-wave "${wave}", which orders nothing: the ApplicationSet controller creates and updates them all at once, outside any sync; remove it, and order environments with a RollingSync strategy (controller flag applicationsetcontroller.enable.progressive.syncs) or make the Applications independent of each other's order`,
    },
  ];
}

/**
 * The child Applications a parent's sync orders by sync-wave, where no health check for Applications is configured:
 * one finding on the parent for all of them (the cause is one missing argocd-cm key, not each child).
 */
function childWavesUnhealthy(o: GraphObject, graph: ObjectGraph): Problem[] {
  const children = deliveredBy(o, graph).filter((x) => x !== o && x.manifest.kind === 'Application' && waveOf(x) !== undefined && !generatedFrom(x));
  if (!children.length || applicationHealthConfigured(graph)) return [];
  // a child that needs what an earlier one installs says the same missing check with its consequence (argocd-app-wave-not-awaited)
  if (children.some((c) => unawaitedWave(c, graph)?.dependency.parent === o)) return [];
  // a parent read outside the checked folder (the Application that syncs it) gets no finding of its own: said on its
  // first child, in wave order, which the engine prefixes with the parent and its file
  const on = o.outside ? [...children].sort((a, b) => (waveOf(a) ?? 0) - (waveOf(b) ?? 0))[0] : undefined;
  const named = children.slice(0, 3).map((c) => `${graph.id(c)} "${String(waveOf(c))}"`);
  const more = children.length > 3 ? ` and ${children.length - 3} more` : '';
  const which = children.length === 1 ? `its child ${named[0]}` : `${children.length} child Applications (${named.join(', ')}${more})`;
  return [
    {
      ...(on ? { on } : {}),
      message: `orders ${which} by sync-wave, but the checked input has no argocd-cm with ${APPLICATION_HEALTH_KEY}: since Argo CD 1.8 a child Application counts as healthy once it exists, so the next wave starts before the last has synced; add that health check (Argo CD's documented Lua) or make the Applications independent of each other's order`,
    },
  ];
}

function onApplication(o: GraphObject, graph: ObjectGraph, apply: string): Problem[] {
  const out: Problem[] = [];
  const own = waveOf(o);
  if (own !== undefined && !generatedFrom(o)) {
    const parents = deliverersOf(o, graph);
    if (!parents.length) {
      // a parent the tree holds but does not apply as an object (left out of its folder's kustomization, or a template
      // a script renders) is applied by hand, and its sync orders this one
      if (!unresolvedDeliverer(o, graph) && !heldDeliverer(o, graph))
        out.push({
          message: `carries sync-wave "${own}", but no Application of the checked input delivers it: applied by hand (${apply}), it is created at once with the others and the wave orders nothing; remove it, or deliver the Applications from a parent Application whose sync orders them`,
        });
    }
  }
  out.push(...childWavesUnhealthy(o, graph));
  if (retriesWithoutLimit(o)) return out;
  return [...out, ...crossApplicationWaves(o, graph)];
}

/**
 * Waves of an Application's objects that look like they order them after a prerequisite another Application
 * delivers: one finding per prerequisite and delivering Applications, naming the objects that need it (a Namespace
 * of another Application is needed by every object this one puts in it).
 */
function crossApplicationWaves(o: GraphObject, graph: ObjectGraph): Problem[] {
  const mine = new Set(deliveredBy(o, graph));
  const groups = new Map<string, { d: GraphObject; wd: number; others: GraphObject[]; needs: { x: GraphObject; wx: number }[] }>();
  for (const x of mine) {
    const wx = waveOf(x);
    if (wx === undefined) continue;
    for (const d of prerequisitesOf(x, graph)) {
      const wd = waveOf(d);
      if (wd === undefined || wd >= wx || mine.has(d)) continue;
      const others = deliverersOf(d, graph).filter((b) => b !== o && !orderedBefore(b, o, graph));
      if (!others.length) continue;
      const key = [d, ...others].map((b) => graph.id(b)).join('\0');
      const group = groups.get(key) ?? { d, wd, others, needs: [] };
      group.needs.push({ x, wx });
      groups.set(key, group);
    }
  }
  return [...groups.values()].map(({ d, wd, others, needs }) => {
    const listed = needs.slice(0, 3).map(({ x, wx }) => `${graph.id(x)} (wave ${wx})`);
    const more = needs.length > 3 ? ` and ${needs.length - 3} more` : '';
    const what = needs.length === 1 ? `${graph.id(needs[0].x)} in sync-wave ${needs[0].wx},` : `${needs.length} objects, ${listed.join(', ')}${more},`;
    const first = needs.length === 1 ? graph.id(needs[0].x) : 'them';
    return {
      message: `delivers ${what} after ${graph.id(d)} (wave ${wd}) which ${needs.length === 1 ? 'it needs' : 'they need'}, but that is delivered by ${others.map((b) => graph.id(b)).join(', ')}: waves order only one Application's sync, so Argo CD may apply ${first} first and, once the retries run out, stop; let this Application retry without limit (syncPolicy.retry.limit: -1), deliver both from one Application, or order the Applications from a parent`,
    };
  });
}

export const argocdWaveIgnored: Rule = {
  id: 'argocd-wave-ignored',
  title: 'a sync-wave annotation that Argo CD does not use to order what it seems to order',
  severity: 'warning',
  appliesTo: ['ApplicationSet', 'Application'],
  judgesDelivery: true,
  premise:
    "waves on an ApplicationSet's template; on an Application that no Application of the checked input delivers (none has a path a script fills in, such as `overlays/${OVERLAY}`; none is in a file its folder's kustomization leaves out, the app-of-apps applied by hand; and no Application template, `*.yaml.tpl`, `*.template` or a Helm chart's, has a path that names its folder once filled), or whose parent's sync cannot wait for it (no Application health check in the input, in argocd-cm, an ArgoCD resource or an argo-cd chart's values: one finding on the parent for all its children with a wave, said on the first child where the parent lies outside the checked folder in its git work tree and syncs the checked folder; none where a child needs a kind an earlier child installs, which argocd-app-wave-not-awaited says on that child with its consequence); on an object whose Namespace or CRD, with an earlier wave, another Application delivers, unless this one retries without limit or a parent orders the two",
  example:
    'a Namespace in `argocd.argoproj.io/sync-wave: "-1"` of the cluster Application and an InferenceService in `argocd.argoproj.io/sync-wave: "10"` of the serving Application, `retry: {limit: 5}`',
  fix: 'remove the waves that order nothing; order Applications from a parent with waves and the Application health check, or make them independent of order (retry.limit: -1, prerequisites in the same Application)',
  source:
    "Argo CD sync waves order one Application's sync (gitops-engine sync phases and waves); since 1.8 an Application has no health check unless resource.customizations.health.argoproj.io_Application is set; the ApplicationSet controller creates Applications directly (ordering only by progressive sync); an automated sync is not retried for the same commit once its retries are spent",
  check(o, ctx) {
    // the command the message names follows the platform judged: `oc` on OpenShift, `kubectl` elsewhere
    return o.manifest.kind === 'ApplicationSet' ? onApplicationSet(o) : onApplication(o, ctx.graph, onOpenShift(ctx) ? 'oc apply' : 'kubectl apply');
  },
};
