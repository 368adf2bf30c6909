#!/usr/bin/env node
/**
 * Derives the description-free schemas of operators' kinds into schemas/crds/<set>/, from the upstream repositories'
 * CustomResourceDefinitions at the pinned commits below, read with `git show` from local clones (or mirrors): the
 * Kubeflow Training Operator's v1 jobs and KubeRay's kinds (both served on OpenShift AI, and wherever the operators are
 * installed), the standalone mpi-operator's MPIJob v2beta1, Kubeflow Trainer's v1alpha1 kinds, and those of operators the cluster's owner installs at a release the tree does not show: Karpenter
 * (on EKS), LeaderWorkerSet, the Gateway API Inference Extension's InferencePool, InferenceObjective and InferenceModel,
 * JobSet, the NVIDIA GPU operator's ClusterPolicy, NVIDIADriver and GPUCluster, and the OpenShift NFD operator's
 * NodeFeatureDiscovery.
 * Their schemas are widened by their older releases' (olderReleases, loosen): a verdict holds on any of them. A set may
 * take files from two repositories (Karpenter's core kinds and its AWS provider's EC2NodeClass, GIE's kinds of several
 * releases).
 *
 *   node scripts/derive-workload-crds.js --training-operator <git dir> --mpi-operator <git dir> --trainer <git dir> --kuberay <git dir> --karpenter <git dir> \
 *     --karpenter-aws <git dir> --lws <git dir> --gateway-api-inference-extension <git dir> \
 *     --jobset <git dir> --model-registry-operator <git dir> --gpu-operator <git dir> --nfd-operator <git dir> \
 *     --prometheus-operator <git dir>
 *   node scripts/derive-workload-crds.js --only gpu-operator-26.7 --gpu-operator <git dir>   (one set alone)
 *
 * A source whose option is not given keeps its set as it is, so one set can be derived again alone.
 * The model registry operator's ModelRegistry (modelregistry.opendatahub.io v1alpha1 and v1beta1) is OpenShift AI's,
 * at the release its 3.4 and 3.5 lines build, widened by the 2.17 … 3.3 lines' CRDs (so it judges 2.x objects too).
 *
 * KubeRay's v1alpha1 is kept served but unjudged (an open schema): its fields changed across releases (0.x had
 * headGroupSpec.replicas and RayJob runtimeEnv, which 1.x's v1alpha1 lacks), and a tree writing v1alpha1 was written
 * for an older KubeRay than the one derived here. MPIJob is derived from the standalone mpi-operator (kubeflow.org/v2beta1),
 * not from the training operator's v1 CRD, whose schema would misjudge it; its v1 is added served and unjudged.
 * RayCronJob is left out (alpha, behind a feature gate).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');
const { stripDescriptions, toSchemaFile } = require('./import-crds');

const ROOT = path.resolve(__dirname, '..');

/** kubernetes-sigs/gateway-api-inference-extension tags and their commits, of which each GIE source takes its older releases. */
const GIE_TAGS = {
  'v0.2.0': '5362a9eb14c1d0c9f22518a285fb6eaeb2d9a4bb',
  'v0.3.0': 'd172cbb082f2e9870faf0d97f650b9a454514fef',
  'v0.4.0': '2b5b337b45c3289e5f9367b2c19deef021722fcd',
  'v0.5.1': '978c23bb96cce25f11cea2421523cb479026e2e9',
  'v1.0.0': 'ffea26329a16922bb3b2cf37a383417c511227d5',
  'v1.1.0': 'f5bce5a2b2afa106fb70084186be051022704bec',
  'v1.2.0': '52ed3abfd4aa2374cc0f4ab5abe94675eb35311c',
  'v1.3.1': 'fea5e3db7dec78f5946538adede7db235f6b2791',
  'v1.4.0': '6e787dd396f0228c31cf6fc5187a13c6b4991a0b',
  'v1.5.0': 'df9f8909fe06fe2dfd4a6fc0bd0c01a0acabf849',
};
const gieTags = (...tags) => Object.fromEntries(tags.map((t) => [t, GIE_TAGS[t]]));

/** NVIDIA/gpu-operator tags (the last patch of each release line from v23.9) and their commits: NVIDIADriver is in each. */
const GPU_OPERATOR_TAGS = {
  'v23.9.2': '5a94df5b8c8ec9d3a19212869cab726a3c5910b3',
  'v24.3.0': '0fe1e8db32b05ddab8bbd4d5bcc3f492b75cfee4',
  'v24.6.2': 'e4f1f5d26c11608379dc234e1e9a316837ce1535',
  'v24.9.2': 'a7551902048c92e8f8166cf2dd27c7ac22a073bc',
  'v25.3.4': 'd73a0086a6ba41c5972a704f8d36e3a162ee656f',
  'v25.10.1': '846018752b8a34d4039feb6f18629b4c64210e32',
  'v26.3.3': 'b0a49c0e7b2e061dcd83f2bb2fe4fe960c5d0338',
};

const SOURCES = [
  {
    option: '--training-operator',
    // kubeflow/training-operator tag v1.9.0
    commit: '6f74c7f6b2ed6c27aabd82d0a316b23f0646059c',
    set: 'kubeflow-training-1.9',
    files: ['tfjobs', 'pytorchjobs', 'xgboostjobs', 'paddlejobs', 'jaxjobs'].map((k) => `manifests/base/crds/kubeflow.org_${k}.yaml`),
  },
  {
    option: '--mpi-operator',
    // kubeflow/mpi-operator tag v0.8.0: MPIJob kubeflow.org/v2beta1, the only version the standalone operator serves
    // (since v0.4.0); the training operator's MPIJob v1 (kubeflow/training-operator up to v1.9) is the same CRD name
    // where that operator is installed instead: kept served but unjudged (addOpenVersions)
    commit: '101db144e019e1de65aaded07745e9d805c2852a',
    set: 'mpi-operator-0.8',
    files: ['manifests/base/kubeflow.org_mpijobs.yaml'],
    addOpenVersions: ['v1'],
    olderReleases: {
      'v0.4.0': 'c77dfcf42fb8a39b1824c6fe540a929b84a36844',
      'v0.5.0': '7c625160e9f561ddf18a7c6d16ecf8cf40889e19',
      'v0.6.0': 'c983759cfa87fd32ed5711804021ea47eb8d712c',
      'v0.7.0': '07a32d9a8cb5e667d754a107cfb0629712811619',
    },
  },
  {
    option: '--trainer',
    // kubeflow/trainer tag v2.3.0 (the newest): TrainJob, TrainingRuntime and ClusterTrainingRuntime,
    // trainer.kubeflow.org/v1alpha1 in every v2 release
    commit: '658725bdae5c7e3a0854d93ac6ff492e109a22ab',
    set: 'kubeflow-trainer-2.3',
    files: ['trainjobs', 'trainingruntimes', 'clustertrainingruntimes'].map((k) => `manifests/base/crds/trainer.kubeflow.org_${k}.yaml`),
    olderReleases: {
      'v2.0.1': '332ad3939a000ecf837a37ecb1a56e3b0494562c',
      'v2.1.0': '73c9bece741ce17d2124abda3ec6bfcf5b5b8e87',
      'v2.2.1': 'c505fc7ccec98bb326cee56144bc5ee92be5048d',
    },
  },
  {
    option: '--kuberay',
    // ray-project/kuberay tag v1.7.0
    commit: '59d663aeec13760646da3db9c1cf8cfe883e30b7',
    set: 'kuberay-1.7',
    files: ['rayclusters', 'rayjobs', 'rayservices'].map((k) => `ray-operator/config/crd/bases/ray.io_${k}.yaml`),
    openVersions: ['v1alpha1'],
  },
  {
    option: '--karpenter',
    // kubernetes-sigs/karpenter tag v1.14.1 (the newest v1.x); karpenter.sh v1 only since v1.1.0 (v1.0 also served v1beta1)
    commit: '6e7eab7a0f485d7225eb98995fad9b66c79b322b',
    set: 'karpenter-1.14',
    files: ['nodepools', 'nodeclaims'].map((k) => `pkg/apis/crds/karpenter.sh_${k}.yaml`),
    // the first and the last patch of each earlier v1.x minor: what any of them accepts is accepted (loosen)
    olderReleases: {
      'v1.0.0': '92547d1f9c2054ee2da9f212a9a5c10ae5faff51',
      'v1.0.9': '2869a208dddf90b7bece897082eb3f4e96e4e948',
      'v1.1.5': 'cda80630900859c7b800311c2256579df3895ba9',
      'v1.2.5': 'bb3fd47167dd9e447df9d3f47bdbd8514dcb7797',
      'v1.3.5': 'e5e4f5fe51a117b073d57ba03b710021cdcf7d91',
      'v1.4.2': 'e633bc88cfde6bd32a515b69d93ae3a5e1031327',
      'v1.5.5': '6edc854ffb1e3b79f6559cb75efb0f492760deeb',
      'v1.6.4': '916e26fd9f965557426a48598bde80f71bf1ae61',
      'v1.7.2': '2182df783e32b0861594525ba16232b48ad98d52',
      'v1.8.3': '783e51f76ed6bebc3e86a4932c969f7814b623b6',
      'v1.9.1': '8b01ff52d01fffe92b55dc0febe42313eddc8def',
      'v1.10.1': '92fb70ba0b2e5c79e42a1a2787f405450ec3dda9',
      'v1.11.2': '268e2b6ccbeeab41a3f7a2eb7639584294b46a91',
      'v1.12.1': 'ed490e8d0959f8fb0effed6e4b266edeb259256f',
      'v1.13.0': '86026aa1ac937671f9590657afcf925457de2062',
    },
  },
  {
    option: '--karpenter-aws',
    // aws/karpenter-provider-aws tag v1.14.1: EC2NodeClass, karpenter.k8s.aws v1 only since v1.1.0
    commit: 'bde00654cd316fddb3dccfba3f5ac07039865429',
    set: 'karpenter-1.14',
    files: ['pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml'],
    olderReleases: {
      'v1.0.0': '5bdf9c3a9d6b01dc6934c3807dfa69160d411131',
      'v1.0.14': '093ba9dfbcaf7c09d6a2fac7a060fae465a90206',
      'v1.1.10': '2fbbce55e07781250c3559e8bbb008a0320f9832',
      'v1.2.8': '3a570db4a26ef1532d5bd16a5027cfe45cd3789e',
      'v1.3.8': '33b235cb0020ffdbe19f764e7cf62369057189aa',
      'v1.4.4': '5bba96f3c0f41db4b72e97b54e94c9275ffa8289',
      'v1.5.8': '02cad97b9fc5973c4efa5ea6a352b5d3646ee839',
      'v1.6.8': '7a8109fbc814a312069b0c7c67a9ee0810073fba',
      'v1.7.6': '87b7ff2202dbe13f510026c5e9c22f7963f8753c',
      'v1.8.8': '5b5bf22ecf397d0b8a0b5ec4ea3cea2473372a91',
      'v1.9.2': '310b3568f736566ae1005b09b9482082f2fc61ed',
      'v1.10.2': '75bcc27679046cf9ae3c2485ee05e8d3f425a9c7',
      'v1.11.3': '0c4e1cfeb0757c2dca913e607d825dde8f7a06d3',
      'v1.12.2': '35e088bf080880cb9f34ba5e8ddadc21df826f1b',
      'v1.13.1': '245b48b04cc7ce108bb23fafa135230e81ed39e8',
    },
  },
  {
    option: '--lws',
    // kubernetes-sigs/lws tag v0.10.0 (the newest; the file ../shared/crds/lws holds): leaderworkerset.x-k8s.io v1 in every release
    commit: '2161f38ff333f9e24d3c44adef7cd5d9787cac00',
    set: 'lws-0.10',
    files: ['config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml'],
    // the last patch of each earlier minor (v0.1–v0.3 had the embedded pod spec's resourceClaims[].source)
    olderReleases: {
      'v0.1.0': '652405d1674967099b8da66b24f7d21e17a398a9',
      'v0.2.0': '78268beeb9d1912fa2216a7b05724d2596ec2699',
      'v0.3.0': 'f55ce0158cad04ff94075e561ae8535ace347816',
      'v0.4.2': 'd62051213fc2fc184417c134fb332d2b243fe3f0',
      'v0.5.1': '3ee2d9a808299920d056e3664ec4ec3f998110cb',
      'v0.6.3': 'a57029519390c59babb2575e6547c2d87bd20d5e',
      'v0.7.0': 'cd3a73a3f5e00cfa9cd2c1c92f00f6189d88073e',
      'v0.8.0': 'fc19b9ae9b0113d228ba15f4b62b06bea434b510',
      'v0.9.0': 'f056f611ae7721f9983ac35f26bfbae8547fd9f3',
    },
  },
  {
    option: '--gateway-api-inference-extension',
    // kubernetes-sigs/gateway-api-inference-extension tag v1.6.0 (the newest; the file ../shared/crds holds): InferencePool v1
    commit: '992e5c292afb248801ce8d9234eb5b9d28eea231',
    set: 'gateway-api-inference-extension-1.6',
    files: ['config/crd/bases/inference.networking.k8s.io_inferencepools.yaml'],
    olderReleases: gieTags('v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.1', 'v1.4.0', 'v1.5.0'),
  },
  {
    option: '--gateway-api-inference-extension',
    // tag v1.4.0, the last with the experimental x-k8s.io InferencePool (v1alpha2 since v0.2.0)
    commit: '6e787dd396f0228c31cf6fc5187a13c6b4991a0b',
    set: 'gateway-api-inference-extension-1.6',
    files: ['config/crd/bases/inference.networking.x-k8s.io_inferencepools.yaml'],
    olderReleases: gieTags('v0.2.0', 'v0.3.0', 'v0.4.0', 'v0.5.1', 'v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.1'),
  },
  {
    option: '--gateway-api-inference-extension',
    // tag v1.5.0, the last with InferenceObjective (v1alpha2 from v1.0.0; removed by 88fd4792)
    commit: 'df9f8909fe06fe2dfd4a6fc0bd0c01a0acabf849',
    set: 'gateway-api-inference-extension-1.6',
    files: ['config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml'],
    olderReleases: gieTags('v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.1', 'v1.4.0'),
  },
  {
    option: '--gateway-api-inference-extension',
    // tag v0.5.1, the last with InferenceModel (v1alpha2 since v0.2.0; InferenceObjective replaced it in v1.0.0)
    commit: '978c23bb96cce25f11cea2421523cb479026e2e9',
    set: 'gateway-api-inference-extension-1.6',
    files: ['config/crd/bases/inference.networking.x-k8s.io_inferencemodels.yaml'],
    olderReleases: gieTags('v0.2.0', 'v0.3.0', 'v0.4.0'),
  },
  {
    option: '--jobset',
    // kubernetes-sigs/jobset tag v0.12.0 (the newest): jobset.x-k8s.io v1alpha2 (v0.1.x served v1alpha1)
    commit: 'f22e565ac3cc3265c7c45ef67ecffdc689af5d77',
    set: 'jobset-0.12',
    files: ['config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml'],
    olderReleases: {
      'v0.2.3': '6efc08288ff369af9c3da05ebe398449696d3dae',
      'v0.3.2': '5eb9a2a3c2d6b8b2c94acb3c34e8b4c3f34ea390',
      'v0.4.0': '9f2cb1432403ab04aa0d8967270bf60b871f0070',
      'v0.5.2': '8637f29b6aaa25991ff7f9ef9e1d47d85307838f',
      'v0.6.0': 'd66f1d5d0c14b5e46b7f0b8c60a97990c12f0300',
      'v0.7.3': '152f624dc02c18b4b46d9d7814a5522fddc8a552',
      'v0.8.2': 'bba74dba625a36c5566494ebef90b8c806132672',
      'v0.9.1': 'acea4e18c8d01b55023d74946237790105625ed4',
      'v0.10.1': 'da72d32bb0060354aa04b1a5868f3b363b088446',
      'v0.11.1': 'ecaf56ab2dffb6edce074beda10ea092e71f62e5',
    },
  },
  {
    option: '--model-registry-operator',
    // opendatahub-io/model-registry-operator 632c610bd297 (2026-03-31), the first commit with the ModelRegistry CRD
    // that red-hat-data-services/model-registry-operator rhoai-3.4 and rhoai-3.5 build (same file, blob b118a6aa)
    commit: '632c610bd29743bebc21c72d8ae25d4c625bfd79',
    set: 'model-registry-operator-rhoai-3',
    files: ['config/crd/bases/modelregistry.opendatahub.io_modelregistries.yaml'],
    // the CRDs the red-hat-data-services rhoai-2.17 … rhoai-3.3 branches build, as opendatahub-io committed them (the
    // same blobs): 2.17 dfac84ea, 2.18–2.19 0ac9d6bd, 2.20 bbca9343, 2.21 fcd2f349, 2.22–2.25 c6f4313f (v1beta1 from
    // 2.22), 3.0 ace647f5, 3.3 9221942d; OpenShift AI 2.x objects are judged by this set too
    olderReleases: {
      'rhoai-2.17': '1582d1363d8f8946d9e1031aa1080732a5eabfa1',
      'rhoai-2.19': '957f09606603411cd3bde61bb447a45163dab411',
      'rhoai-2.20': '6359c5832d3792cd86af91a00a29acdfd3014421',
      'rhoai-2.21': '79cc0588ce13eac4c39f11cfce23e49100b729b0',
      'rhoai-2.25': '93f02eb09df071948abb5f041b732247dbad5ddb',
      'rhoai-3.0': '8b1a60c118a501b723989d952c7a31074cb9fe4a',
      'rhoai-3.3': '0cc196d6170322d0515f666fb64aa4d01348f7c7',
    },
  },
  {
    option: '--gpu-operator',
    // NVIDIA/gpu-operator tag v26.7.0 (the newest): ClusterPolicy nvidia.com/v1 in every release, NVIDIADriver
    // v1alpha1 from v23.9.0, GPUCluster v1alpha1 new in v26.7.0
    commit: '10ee5b3638b89e11e949412aafa5ba99279c3721',
    set: 'gpu-operator-26.7',
    files: ['config/crd/bases/nvidia.com_clusterpolicies.yaml'],
    // the last patch of each release line since v23.3
    olderReleases: {
      'v23.3.2': 'c1cc4ecdd93309ed3becabb31e68df2e98e2958e',
      'v23.6.2': '5eb847eaeae9b250249f4f05b2bcfcb2117e3028',
      ...GPU_OPERATOR_TAGS,
    },
  },
  {
    option: '--gpu-operator',
    commit: '10ee5b3638b89e11e949412aafa5ba99279c3721',
    set: 'gpu-operator-26.7',
    files: ['config/crd/bases/nvidia.com_nvidiadrivers.yaml'],
    olderReleases: GPU_OPERATOR_TAGS,
  },
  {
    option: '--gpu-operator',
    commit: '10ee5b3638b89e11e949412aafa5ba99279c3721',
    set: 'gpu-operator-26.7',
    files: ['config/crd/bases/nvidia.com_gpuclusters.yaml'],
  },
  {
    option: '--nfd-operator',
    // openshift/cluster-nfd-operator branch release-4.23 (the newest release branch; the project tags none): the
    // NodeFeatureDiscovery of the OpenShift NFD operator. Its NodeFeatureRule and NodeFeature are left out: the
    // operator serves them in nfd.openshift.io and in upstream NFD's nfd.k8s-sigs.io, whose newer releases' fields its
    // copy lacks, and a kind known in one group only would make the other group's unknown (kind-in-unknown-group)
    commit: '7d7aae1339bc6ffda25a2eb7350024d99661f658',
    set: 'nfd-operator-4.23',
    files: ['config/crd/bases/nfd.openshift.io_nodefeaturediscoveries.yaml'],
    olderReleases: {
      'release-4.16': '1536f9efbd73d7f8002b32f778c4ecc68ac5a8a6',
      'release-4.17': 'dbf6216ef1e5094c494712e46d6d1b230ee5d363',
      'release-4.18': '77ae50bf247afa83c2f22f2fdc362ef1436488d3',
      'release-4.19': '1e26db6ff79d572ff9a00a69183c8d2c9c43ec23',
      'release-4.20': 'ae32881102fc0223d6077f0b6a67afa92e7c58e3',
      'release-4.21': 'bf1052cdc10783aaa105a89c571404dccaeb4c1f',
      'release-4.22': 'ff1b87ab0d555368ebdd038d4d83d5cb0c0b6e9a',
    },
  },
  {
    option: '--envoy-ai-gateway',
    // envoyproxy/ai-gateway tag v1.1.0 (the newest): AIGatewayRoute and BackendSecurityPolicy, aigateway.envoyproxy.io
    // v1alpha1 and v1beta1 (v1beta1 from v1.1.0)
    commit: 'c217da8a539570ba3f6014a60c2687c29a945f1f',
    set: 'envoy-ai-gateway-1.1',
    files: ['aigatewayroutes', 'backendsecuritypolicies'].map((k) => `manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_${k}.yaml`),
    // the last patch of each release line (an AIGatewayRoute's targetRefs, which parentRefs replaced, up to v0.3)
    olderReleases: {
      'v0.1.5': '30b47838104f05de17ae14c6d0b748878de27df1',
      'v0.2.1': '36fc248b4845721e0258174ae1aff84b865d0f21',
      'v0.3.0': 'da86fc6a22bf754666e69c9e988f1580ef53f5b8',
      'v0.4.0': 'ad5f75ee5cc7f0adc5bc9702d9ada3ad97a63612',
      'v0.5.0': 'b40501fe91f8b2f400e0dd887dfe7290e2680d61',
      'v0.6.0': 'a82fcf515901f38d6d8431ecbdbd1218735d2be1',
      'v0.7.0': 'f2d59a6a4f26680e53f03531ece28eadd70f5320',
      'v1.0.0': '3e7b0bf02dad2cf6b88a523af829a7b93eb5b8e1',
    },
  },
  {
    option: '--envoy-ai-gateway',
    // the same tag: AIServiceBackend and MCPRoute (MCPRoute from v0.4.0)
    commit: 'c217da8a539570ba3f6014a60c2687c29a945f1f',
    set: 'envoy-ai-gateway-1.1',
    files: ['aiservicebackends', 'mcproutes'].map((k) => `manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_${k}.yaml`),
    // widened from v0.4.0 only: its CRD refuses a backendRef other than an Envoy Gateway Backend ("BackendRef must be
    // a Backend resource of Envoy Gateway", fe040f46a #1328), a limitation the controller had since v0.2 (#902) while
    // the earlier CRDs still took a Service
    olderReleases: {
      'v0.4.0': 'ad5f75ee5cc7f0adc5bc9702d9ada3ad97a63612',
      'v0.5.0': 'b40501fe91f8b2f400e0dd887dfe7290e2680d61',
      'v0.6.0': 'a82fcf515901f38d6d8431ecbdbd1218735d2be1',
      'v0.7.0': 'f2d59a6a4f26680e53f03531ece28eadd70f5320',
      'v1.0.0': '3e7b0bf02dad2cf6b88a523af829a7b93eb5b8e1',
    },
  },
  {
    option: '--envoy-gateway',
    // envoyproxy/gateway tag v1.9.0 (the newest): its gateway.envoyproxy.io kinds (v1alpha1) of the gateway-helm chart
    commit: '39763b1c07ec30a5526fe70434a2cfe4181de642',
    set: 'envoy-gateway-1.9',
    files: [
      'backends',
      'backendtrafficpolicies',
      'clienttrafficpolicies',
      'envoyextensionpolicies',
      'envoypatchpolicies',
      'envoyproxies',
      'httproutefilters',
      'securitypolicies',
    ].map((k) => `charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_${k}.yaml`),
    // the last patch of each release line since v1.0 (the chart kept its CRDs in charts/gateway-helm/crds/generated
    // before v1.8; a kind a release did not have yet widens nothing)
    olderReleases: {
      'v1.0.2': '8cf16eec9eb5eaada1d978550f32855719d2a00d',
      'v1.1.4': '127d356fc352ee974feba88670715155ef5e93b5',
      'v1.2.8': '5ccc8ad378db3bd2131a32f2d2e4db8d47b7295a',
      'v1.3.3': '34c134d24462ebcbcc4b235539683193fd3af94d',
      'v1.4.6': 'c4da4d522a79799ac892704cb2d09152b14871ac',
      'v1.5.9': 'a9cb2eff0482ec58906384d4a01e078e61a1b9c9',
      'v1.6.7': 'bdb5efd61007dde496621ef0238a3b3bb81a92fb',
      'v1.7.5': 'c038192c87574a0a3d04794ce2ec4d9849471b2e',
      'v1.8.3': '94850d4323922cba7c67b5b5ad23de9c715f8048',
    },
  },
  {
    option: '--prometheus-operator',
    // prometheus-operator/prometheus-operator tag v0.93.0 (the release of the prometheus-operator-0.93 set, whose
    // ServiceMonitor, PodMonitor and PrometheusRule scripts/import-crds.js takes): ScrapeConfig (v1alpha1), Probe (v1)
    // and AlertmanagerConfig, from the -full folder, which serves AlertmanagerConfig v1beta1 beside v1alpha1
    commit: 'f8fafd475f3d132e239432ae6172de60a6cb6516',
    set: 'prometheus-operator-full-0.93',
    files: ['scrapeconfigs', 'probes', 'alertmanagerconfigs'].map((k) => `example/prometheus-operator-crd-full/monitoring.coreos.com_${k}.yaml`),
    // the last patch of every fifth release line since v0.76, the first whose ScrapeConfig enums (kubernetesSDConfigs
    // role, …) no longer take lower-case values
    olderReleases: {
      'v0.76.2': 'adc69155fdc0d6f19900ca166b937c67be7335ee',
      'v0.80.1': '4126d60d8a8ae99be866cdd0d15546a4d3e9fe8b',
      'v0.85.0': '2ed4172b180213b6082025237bb0c155b74b6080',
      'v0.90.1': '32d1b3dfa05d070762450efe9624bb2483c782be',
    },
  },
  {
    option: '--gateway-api',
    // kubernetes-sigs/gateway-api tag v1.6.1 (the newest), experimental channel (a superset of the standard one's
    // fields and versions): Gateway and HTTPRoute
    commit: '8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3',
    set: 'gateway-api-1.6',
    files: ['gateways', 'httproutes'].map((k) => `config/crd/experimental/gateway.networking.k8s.io_${k}.yaml`),
    // the last patch of each release line since v1.0.0 (GA)
    olderReleases: {
      'v1.0.0': 'a0684982eddeb0360e215e0de322c3210ac49bb9',
      'v1.1.1': '9a0614f904edf857031a11a2e7cdc20dbf423b96',
      'v1.2.1': 'a8fe5c8732a37ef471d86afaf570ff8ad0ef0221',
      'v1.3.0': '40be951cebe5cb3f0365fe6951403de4ff8b9f33',
      'v1.4.1': '477d172e6ac5eccb82b65781ddb8f924afec4170',
      'v1.5.1': 'e7677b70ae75d14a4448fba94870e7deea6cf0ad',
    },
  },
];

/** The git directory given for a source's option; undefined when the option is not given. */
function gitDirOf(argv, option) {
  const i = argv.indexOf(option);
  if (i < 0) return undefined;
  const dir = argv[i + 1];
  if (!dir || !fs.existsSync(dir)) throw new Error(`pass ${option} <git dir> (a clone or mirror of the repository)`);
  return path.resolve(dir);
}

/** Value bounds kept only where every older release has the same (a later release's tighter bound is no error on an older cluster). */
const BOUNDS = [
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
];

/**
 * Widens a schema to accept what an older release's schema of the same version accepts, so that a verdict holds on a
 * cluster running any of the releases: the older release's properties are kept (a field it had is no unknown field),
 * `required` is what both require, an enum takes both's values, a bound or a CEL rule stays only where both have it.
 */
function loosen(schema, older) {
  if (!schema || !older || typeof schema !== 'object' || typeof older !== 'object') return schema;
  if (schema.properties || older.properties) {
    const props = { ...(schema.properties ?? {}) };
    for (const [k, v] of Object.entries(older.properties ?? {})) props[k] = k in props ? loosen(props[k], v) : v;
    schema.properties = props;
  }
  if (schema.items) schema.items = loosen(schema.items, older.items);
  if (typeof schema.additionalProperties === 'object') schema.additionalProperties = loosen(schema.additionalProperties, older.additionalProperties);
  if (schema.required) schema.required = schema.required.filter((r) => (older.required ?? []).includes(r));
  if (!schema.required?.length) delete schema.required;
  if (schema.enum) {
    if (older.enum) schema.enum = [...new Set([...schema.enum, ...older.enum])];
    else delete schema.enum;
  }
  for (const bound of BOUNDS) if (bound in schema && JSON.stringify(schema[bound]) !== JSON.stringify(older[bound])) delete schema[bound];
  const rules = new Set((older['x-kubernetes-validations'] ?? []).map((r) => r.rule));
  if (schema['x-kubernetes-validations']) schema['x-kubernetes-validations'] = schema['x-kubernetes-validations'].filter((r) => rules.has(r.rule));
  if (!schema['x-kubernetes-validations']?.length) delete schema['x-kubernetes-validations'];
  if (older['x-kubernetes-preserve-unknown-fields']) schema['x-kubernetes-preserve-unknown-fields'] = true;
  return schema;
}

function gitShow(gitDir, commit, file) {
  return execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:${file}`], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
}

/** The CustomResourceDefinition of a file, a document of its own after any licence comment (the AI Gateway's chart files open with one and `---`). */
function crdIn(text) {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJSON())
    .find((d) => d?.kind === 'CustomResourceDefinition');
}

/**
 * The path of a CRD file at an older commit: the same path, else the one file of that name elsewhere in the tree
 * (Envoy Gateway's chart moved its CRDs), plain CRDs before Helm templates; undefined where the release had no such
 * file (the kind came later: it widens nothing).
 */
function olderPath(gitDir, commit, file) {
  const names = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '--name-only', commit], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }).split('\n');
  if (names.includes(file)) return file;
  const same = names
    .filter((n) => n.endsWith(`/${path.basename(file)}`))
    .sort((a, b) => Number(a.includes('/templates/')) - Number(b.includes('/templates/')) || a.localeCompare(b));
  return same[0];
}

/** The schema file of a CRD, loosened by the same CRD's versions at the source's older releases. */
function derivedSchema(gitDir, source, file) {
  const crd = stripDescriptions(crdIn(gitShow(gitDir, source.commit, file)));
  if (crd?.kind !== 'CustomResourceDefinition') throw new Error(`${file} at ${source.commit} is not a CustomResourceDefinition`);
  const schema = toSchemaFile(crd);
  for (const commit of Object.values(source.olderReleases ?? {})) {
    const at = olderPath(gitDir, commit, file);
    if (!at) continue;
    const older = crdIn(gitShow(gitDir, commit, at));
    for (const v of schema.versions) {
      const same = older.spec.versions.find((o) => o.name === v.name && o.served);
      if (same) v.schema = loosen(v.schema, stripDescriptions(same.schema.openAPIV3Schema));
    }
  }
  for (const v of schema.versions) if (source.openVersions?.includes(v.name)) v.schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  // a version another operator serves under the same CRD name (the training operator's MPIJob v1): served, unjudged
  for (const name of source.addOpenVersions ?? [])
    schema.versions.push({ name, storage: false, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
  return { crd, schema };
}

function main() {
  const argv = process.argv.slice(2);
  const cleared = new Set();
  // --only <set>: derive that set alone (its sources' options are the only ones needed); the others stay as they are
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  for (const source of SOURCES.filter((s) => !only || s.set === only)) {
    const gitDir = gitDirOf(argv, source.option);
    if (!gitDir) {
      console.log(`schemas/crds/${source.set}/ kept (no ${source.option} given)`);
      continue;
    }
    const out = path.join(ROOT, 'schemas', 'crds', source.set);
    if (!cleared.has(source.set)) {
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      cleared.add(source.set);
    }
    for (const file of source.files) {
      const { crd, schema } = derivedSchema(gitDir, source, file);
      fs.writeFileSync(path.join(out, `${crd.spec.names.plural}.${crd.spec.group}.json`), JSON.stringify(schema) + '\n');
    }
    console.log(`schemas/crds/${source.set}/ derived from ${source.commit}`);
  }
}

/** The files of each set, by set (a set fed by two repositories lists both's). */
const WORKLOAD_SETS = {};
for (const s of SOURCES) WORKLOAD_SETS[s.set] = [...(WORKLOAD_SETS[s.set] ?? []), ...s.files];

module.exports = { WORKLOAD_SETS };
if (require.main === module) main();
