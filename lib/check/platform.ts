import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, stringMap, text } from '../manifests/access';
import {
  DEFAULT_PLATFORM_ID,
  DeploymentModes as PlatformModes,
  isPlatformId,
  PLATFORM_IDS,
  PLATFORMS as PLATFORM_TABLE,
  PlatformId,
} from '../platform/platform';
import { DEPLOYMENT_MODE_ANNOTATION } from '../k8s/keys';
import { KUEUE_VERSION_FORMS, parseKueueVersion } from '../platform/kueue-releases';

/**
 * The platforms `check` judges for: those the library renders for (lib/platform's table) and OpenShift AI 2.x, whose
 * KServe serves Serverless by default and which the library does not render for.
 */
export type Platform = 'rhoai-2' | PlatformId;

export const PLATFORMS: readonly Platform[] = ['rhoai-2', ...PLATFORM_IDS];

/** The platform judged for when neither `--platform`, a project file nor the tree tells one. */
export const DEFAULT_PLATFORM: Platform = DEFAULT_PLATFORM_ID;

/** How a platform's KServe reads `serving.kserve.io/deploymentMode`, and how messages name it. */
export interface DeploymentModes extends Omit<PlatformModes, 'raw' | 'deprecatedAliases'> {
  /** Known values that are deprecated aliases, with the name to write instead. */
  readonly deprecatedAliases: Readonly<Record<string, string>>;
  /** How to name the platform's KServe in messages. */
  readonly label: string;
}

/**
 * Deployment-mode names per platform, from the platform table; OpenShift AI 2.x (KServe 0.11–0.14) serves single
 * models in Serverless (its default, on OpenShift Serverless) and RawDeployment, and ModelMesh for many small models.
 */
export const DEPLOYMENT_MODES: Record<Platform, DeploymentModes> = {
  'rhoai-2': {
    known: ['RawDeployment', 'Serverless', 'ModelMesh'],
    unavailable: [],
    deprecatedAliases: {},
    fallback: 'Serverless',
    label: 'OpenShift AI 2.x',
  },
  ...(Object.fromEntries(
    PLATFORM_IDS.map((id) => {
      const { known, unavailable, deprecatedAliases, fallback } = PLATFORM_TABLE[id].deploymentModes;
      return [id, { known, unavailable, deprecatedAliases, fallback, label: PLATFORM_TABLE[id].label }];
    }),
  ) as Record<PlatformId, DeploymentModes>),
};

/** How the platform of a check run was chosen. */
export type PlatformSource = 'flag' | 'project' | 'inferred' | 'default';

/** The platform a check run judges for, how it was chosen and why. */
export interface PlatformChoice {
  readonly platform: Platform;
  readonly source: PlatformSource;
  /** One sentence a reader can verify: the flag, the project file, the objects that tell it, or that none did. */
  readonly reason: string;
}

/** The project file beside a tree that sets its default platform: `{ "platform": "rhoai-3.4" }`. */
export const PROJECT_FILE = '.cdk8s-vllm.json';

/** What one object says about the platform: the platforms it can run on, and why. */
interface Signal {
  readonly candidates: readonly Platform[];
  readonly says: string;
}

const RHOAI: readonly Platform[] = ['rhoai-2', 'rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'];
const NEW_KSERVE: readonly Platform[] = ['rhoai-3.4', 'kserve'];

/** What an object tells about the platform it was written for; nothing when it fits every platform. */
function signalsOf(m: Loose, id: string): Signal[] {
  const apiVersion = text(m.apiVersion) ?? '';
  const out: Signal[] = [];
  const mode = stringMap(mapping(m.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION];
  // KServe 0.16 (Open Data Hub 3.4) introduced Standard and Knative (pkg/constants/constants.go)
  if (m.kind === 'InferenceService' && (mode === 'Standard' || mode === 'Knative'))
    out.push({ candidates: NEW_KSERVE, says: `${id} writes deploymentMode ${mode} (a KServe 0.16+ name)` });
  // no Kueue signal: on OpenShift AI 3.x Kueue is the separately installed Red Hat build, whose release says nothing of
  // the platform's (kueue-version.ts judges the Kueue release on its own)
  // LLMInferenceService v1alpha2 is served from Open Data Hub 3.4 on (odh-v3.4 CRD)
  if (m.kind === 'LLMInferenceService' && apiVersion === 'serving.kserve.io/v1alpha2')
    out.push({ candidates: NEW_KSERVE, says: `${id} is serving.kserve.io/v1alpha2 (OpenShift AI 3.4+)` });
  // OpenShift AI deletes the ClusterServingRuntime CRD (overlays/odh remove-clusterservingruntime.yaml)
  if (m.kind === 'ClusterServingRuntime') out.push({ candidates: ['kserve'], says: `${id} exists only in upstream KServe` });
  // HardwareProfile moved to infrastructure.opendatahub.io in 3.0; the dashboard's group and AcceleratorProfile are 2.x
  if (m.kind === 'HardwareProfile' && apiVersion === 'infrastructure.opendatahub.io/v1')
    out.push({ candidates: ['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'], says: `${id} is infrastructure.opendatahub.io/v1 (OpenShift AI 3.x)` });
  if ((m.kind === 'HardwareProfile' || m.kind === 'AcceleratorProfile') && apiVersion.startsWith('dashboard.opendatahub.io/'))
    out.push({ candidates: ['rhoai-2'], says: `${id} is ${apiVersion} (OpenShift AI 2.x)` });
  // OpenShift AI's controllers read opendatahub.io metadata; upstream KServe has none of it
  const meta = mapping(m.metadata);
  const odh = [...Object.keys(stringMap(meta.labels)), ...Object.keys(stringMap(meta.annotations))].some((k) => k.startsWith('opendatahub.io/'));
  if (odh && (m.kind === 'InferenceService' || m.kind === 'ServingRuntime')) out.push({ candidates: RHOAI, says: `${id} carries opendatahub.io metadata` });
  return out;
}

/**
 * The platform the objects were written for, where they tell: each signal (deployment-mode names,
 * LLMInferenceService and HardwareProfile API versions, OpenShift AI metadata, ClusterServingRuntime) narrows the
 * platforms the tree can run on; the default is kept while it stays possible, else the first remaining one.
 */
export function inferPlatform(objects: readonly { readonly manifest: unknown }[], fallback: Platform = DEFAULT_PLATFORM): PlatformChoice {
  const signals: Signal[] = [];
  for (const o of objects) {
    const m = o.manifest as Loose;
    if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
    const meta = mapping(m.metadata);
    const id = `${text(m.kind) ?? '?'}/${[text(meta.namespace), text(meta.name)].filter(Boolean).join('/')}`;
    signals.push(...signalsOf(m, id));
  }
  let possible: readonly Platform[] = PLATFORMS;
  const narrowing: Signal[] = [];
  for (const s of signals) {
    const next = possible.filter((p) => s.candidates.includes(p));
    if (!next.length) {
      const said = narrowing.map((n) => n.says).join('; ');
      return {
        platform: fallback,
        source: 'default',
        reason: `the tree's signals disagree (${said}; but ${s.says}): ${fallback} assumed; pass --platform`,
      };
    }
    if (next.length < possible.length) narrowing.push(s);
    possible = next;
  }
  if (possible.includes(fallback)) {
    return { platform: fallback, source: 'default', reason: `nothing in the tree tells another platform: ${fallback} (the default) assumed` };
  }
  // the first remaining in table order: the OpenShift AI release before upstream KServe
  const chosen = PLATFORMS.find((p) => possible.includes(p))!;
  const listed = narrowing.slice(0, 3).map((n) => n.says);
  const more = narrowing.length > 3 ? ` and ${narrowing.length - 3} more` : '';
  return { platform: chosen, source: 'inferred', reason: `inferred from the tree: ${listed.join('; ')}${more}` };
}

/** What the project file sets: the default platform and the cluster's Kueue release, each optional. */
export interface ProjectSettings {
  readonly file: string;
  readonly platform?: Platform;
  /** The Kueue release as written (`1.3`, `0.16`): `chooseKueue` reads it. */
  readonly kueue?: string;
}

/**
 * The project settings beside the checked paths: `.cdk8s-vllm.json` in a checked folder (or a checked file's folder)
 * or in a folder above it, up to the repository root (a folder holding `.git`). Throws, naming the file, on a file
 * that does not parse, names neither a platform nor a Kueue release, or names an unknown one.
 */
export function projectSettings(paths: readonly string[]): ProjectSettings | undefined {
  for (const p of paths) {
    if (p === '-') continue;
    let dir = path.resolve(p);
    try {
      if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
    } catch {
      continue; // a path that does not exist is reported by the reader
    }
    for (;;) {
      const file = path.join(dir, PROJECT_FILE);
      if (fs.existsSync(file)) return { file, ...readProjectFile(file) };
      const parent = path.dirname(dir);
      if (fs.existsSync(path.join(dir, '.git')) || parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/** The project default platform beside the checked paths (`projectSettings`), when the project file sets one. */
export function projectPlatform(paths: readonly string[]): { platform: Platform; file: string } | undefined {
  const settings = projectSettings(paths);
  return settings?.platform ? { platform: settings.platform, file: settings.file } : undefined;
}

function readProjectFile(file: string): { platform?: Platform; kueue?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}); write {"platform": "${DEFAULT_PLATFORM}"}`);
  }
  const { platform, kueue } = mapping(raw);
  if (platform === undefined && kueue === undefined) throw new Error(`${file}: names no 'platform' (${PLATFORMS.join(', ')}) nor 'kueue' (e.g. "1.3")`);
  if (platform !== undefined && platform !== 'rhoai-2' && !isPlatformId(platform))
    throw new Error(`${file}: 'platform' is ${JSON.stringify(platform)}; write one of ${PLATFORMS.join(', ')}`);
  if (kueue !== undefined && (typeof kueue !== 'string' || !parseKueueVersion(kueue)))
    throw new Error(`${file}: 'kueue' is ${JSON.stringify(kueue)}; write ${KUEUE_VERSION_FORMS}`);
  return { ...(platform !== undefined ? { platform: platform as Platform } : {}), ...(kueue !== undefined ? { kueue: kueue as string } : {}) };
}

/** Chooses the platform of a check run: the flag, else the project file, else what the tree tells, else the default. */
export function choosePlatform(objects: readonly { readonly manifest: unknown }[], given?: Platform, paths: readonly string[] = []): PlatformChoice {
  if (given) return { platform: given, source: 'flag', reason: `--platform ${given}` };
  const project = projectPlatform(paths);
  if (project) return { platform: project.platform, source: 'project', reason: `the project default in ${project.file}` };
  return inferPlatform(objects);
}
