import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('inference-graph-service-not-found', docs);
const service = (name: string, namespace?: string): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { predictor: { containers: [{ name: 'kserve-container', image: 'registry.example.org/m:1' }] } },
});
const graph = (steps: Doc[], namespace = 'lang'): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'InferenceGraph',
  metadata: { name: 'chain', namespace },
  spec: { nodes: { root: { routerType: 'Sequence', steps } } },
});
const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('inference-graph-service-not-found', () => {
  test("a step naming no service of the graph's namespace, beside the tree's services there: a warning naming the near one", () => {
    expect(found([service('detect', 'lang'), service('translate', 'lang'), graph([{ serviceName: 'detect' }, { serviceName: 'translator' }])])).toEqual([
      expect.stringMatching(
        /^warning InferenceGraph\/lang\/chain: node 'root' step 1 names serviceName 'translator', and the tree's InferenceServices of namespace 'lang' are 'detect', 'translate' \(did you mean translate.*Failed to find graph service.*unless another app makes 'translator'/,
      ),
    ]);
  });

  test('an error where the tree creates the namespace and shows all it holds; the service of another namespace is named', () => {
    expect(
      found([namespace('lang'), service('detect', 'lang'), service('translate', 'other'), graph([{ serviceName: 'detect' }, { serviceName: 'translate' }])]),
    ).toEqual([
      expect.stringMatching(
        /^error InferenceGraph\/lang\/chain: node 'root' step 1 names serviceName 'translate'.*the tree has one in namespace 'other': the controller looks only in the graph's namespace.*nothing else makes 'translate'/,
      ),
    ]);
  });

  test('near misses: every step names a service there; no service of the tree in the namespace; serviceUrl and nodeName steps', () => {
    expect(found([service('detect', 'lang'), service('translate', 'lang'), graph([{ serviceName: 'detect' }, { serviceName: 'translate' }])])).toEqual([]);
    expect(found([service('detect', 'other'), graph([{ serviceName: 'summarizer' }])])).toEqual([]);
    expect(
      found([
        service('detect', 'lang'),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'scorer', namespace: 'lang' }, spec: { ports: [{ port: 80 }] } },
        graph([
          { serviceName: 'detect' },
          { serviceUrl: 'http://detect-predictor.lang.svc.cluster.local/v1/models/detect:predict' },
          { serviceUrl: 'http://scorer.lang.svc/score' },
          { serviceUrl: 'https://api.example.com/v1/score' },
          { serviceUrl: 'http://{{ .Values.host }}/v1' },
          { nodeName: 'next' },
        ]),
      ]),
    ).toEqual([]);
  });

  test('every node type is read (Switch, Ensemble, Splitter), and a step list under routes with its target under service', () => {
    const nodes = {
      root: { routerType: 'Switch', steps: [{ serviceName: 'detect', condition: 'x' }] },
      merge: { routerType: 'Ensemble', steps: [{ serviceName: 'detect' }, { serviceName: 'sentiment' }] },
      split: {
        routerType: 'Splitter',
        steps: [
          { serviceName: 'detect', weight: 50 },
          { serviceName: 'detector-v2', weight: 50 },
        ],
      },
      legacy: { routerType: 'Ensemble', routes: [{ service: 'detect' }, { service: 'xgb-model' }] },
    };
    const g = { ...graph([]), spec: { nodes } };
    expect(found([service('detect', 'lang'), service('translate', 'lang'), g])).toEqual([
      expect.stringMatching(
        /^warning InferenceGraph\/lang\/chain: node 'legacy' routes entry 1 names service 'xgb-model'.*once written as a step's serviceName.*Failed to find graph service/,
      ),
      expect.stringMatching(/^warning InferenceGraph\/lang\/chain: node 'merge' step 1 names serviceName 'sentiment'.*Failed to find graph service/),
      expect.stringMatching(/^warning InferenceGraph\/lang\/chain: node 'split' step 1 names serviceName 'detector-v2'.*Failed to find graph service/),
    ]);
  });

  test('a serviceUrl whose in-cluster host names no InferenceService of its namespace (its -predictor Service included)', () => {
    expect(
      found([
        service('detect', 'lang'),
        graph([{ serviceUrl: 'http://detector-predictor.lang.svc.cluster.local/v1/models/detector:predict' }, { serviceUrl: 'http://summarize/v2' }]),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^warning InferenceGraph\/lang\/chain: node 'root' step 0 names serviceUrl 'http:\/\/detector-predictor.lang.svc.cluster.local\/v1\/models\/detector:predict'.*host names InferenceService 'detector'.*every request through the step fails/,
      ),
      expect.stringMatching(/^warning InferenceGraph\/lang\/chain: node 'root' step 1 names serviceUrl 'http:\/\/summarize\/v2'.*InferenceService 'summarize'/),
    ]);
  });

  test("a serviceUrl host: an InferenceService's Knative revision Service is its own; a name an InferenceService only begins is not, while an operator's object of the name explains it", () => {
    const cluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'scorer', namespace: 'lang' } };
    expect(
      found([
        service('detect', 'lang'),
        cluster,
        graph([
          { serviceUrl: 'http://detect-predictor-00001.lang.svc/v1/models/detect:predict' },
          { serviceUrl: 'http://scorer-rw/score' },
          { serviceUrl: 'http://detect-v2/v1' },
        ]),
      ]),
    ).toEqual([
      expect.stringMatching(/^warning InferenceGraph\/lang\/chain: node 'root' step 2 names serviceUrl 'http:\/\/detect-v2\/v1'.*InferenceService 'detect-v2'/),
    ]);
  });

  test("namespace-less loose files: the services of folders below the graph's are applied with it, a sibling folder's are not", () => {
    const yaml = (kind: string, name: string, body: string) =>
      `apiVersion: serving.kserve.io/${kind === 'InferenceGraph' ? 'v1alpha1' : 'v1beta1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${body}`;
    const isvc = (name: string) =>
      yaml('InferenceService', name, `  predictor:\n    containers:\n      - name: kserve-container\n        image: registry.example.org/${name}:1\n`);
    const ig = yaml(
      'InferenceGraph',
      'detect',
      '  nodes:\n    root:\n      routerType: Ensemble\n      steps:\n        - serviceName: fasttext\n        - serviceName: cld3-model\n',
    );
    const judged = (files: Record<string, string>) => {
      const read = readManifests([writeTree(files)]);
      return runChecks(read.manifests, { platform: 'kserve', rules: ['inference-graph-service-not-found'], ...read }).map(
        (f) => `${f.severity} ${f.object}: ${f.message}`,
      );
    };
    expect(judged({ 'detector/graph.yaml': ig, 'detector/fasttext/isvc.yaml': isvc('fasttext'), 'detector/cld3/isvc.yaml': isvc('cld3') })).toEqual([
      expect.stringMatching(
        /^warning InferenceGraph\/detect: node 'root' step 1 names serviceName 'cld3-model', and the tree's InferenceServices of the graph's namespace are 'cld3', 'fasttext'/,
      ),
    ]);
    expect(judged({ 'detector/graph.yaml': ig, 'models/fasttext/isvc.yaml': isvc('fasttext'), 'models/cld3/isvc.yaml': isvc('cld3') })).toEqual([]);
  });
});
