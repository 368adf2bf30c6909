import { Loose, mapping, mappings, text } from '../manifests/access';
import { predictorModelOf } from './runtime-selection';

/** The model of a serving object: the spec an InferenceService's predictor writes it in, and where it is loaded from. */

/** The model spec of an InferenceService's predictor, `model` or a framework shorthand (empty when there is none). */
export function modelSpecOf(isvc: Loose): Loose {
  return predictorModelOf(isvc)?.spec ?? {};
}

/** The field an InferenceService's model is written at: `spec.predictor.model`, or a shorthand such as `spec.predictor.sklearn`. */
export function modelFieldOf(isvc: Loose): string {
  return predictorModelOf(isvc)?.field ?? 'spec.predictor.model';
}

/**
 * Where an InferenceService loads its model from as its manifest writes it, for messages: storageUri, a custom
 * container's STORAGE_URI or an LLMInferenceService's spec.model.uri unchanged (storageLocationOf adds a trailing
 * slash to compare directories), else storageLocationOf's words for storage.path.
 */
export function storageLocationWritten(isvc: Loose): string | undefined {
  const uri =
    isvc.kind === 'LLMInferenceService'
      ? text(mapping(mapping(isvc.spec).model).uri)
      : (text(modelSpecOf(isvc).storageUri) ?? text(mappings(customServingContainer(isvc)?.env).find((e) => e.name === 'STORAGE_URI')?.value));
  return uri ?? storageLocationOf(isvc);
}

/**
 * A custom predictor's serving container: the one named kserve-container, or, as KServe's defaulter names it
 * (kserve pkg/apis/serving/v1beta1 predictor_custom.go CustomPredictor.Default), a sole container or an unnamed first one.
 */
export function customServingContainer(isvc: Loose): Loose | undefined {
  const containers = mappings(mapping(mapping(isvc.spec).predictor).containers);
  return containers.find((c) => c.name === 'kserve-container') ?? containers.find((c, i) => i === 0 && (containers.length === 1 || c.name === undefined));
}

/**
 * Where an InferenceService loads its model from, as a URI: storageUri as written (`s3://b/p/` with a trailing
 * slash, so `s3://b/p` and `s3://b/p/` name one directory; `oci://` and `hf://` unchanged), or `storage.path` with
 * its bucket. For an LLMInferenceService, `spec.model.uri`.
 */
export function storageLocationOf(isvc: Loose): string | undefined {
  if (isvc.kind === 'LLMInferenceService') {
    const uri = text(mapping(mapping(isvc.spec).model).uri);
    return uri ? normalizeUri(uri) : undefined;
  }
  const model = modelSpecOf(isvc);
  const uri = text(model.storageUri);
  if (uri) return normalizeUri(uri);
  // a custom container names its weights in STORAGE_URI, which KServe's storage initializer downloads (CustomSpecStorageUriEnvVarKey)
  const custom = customServingContainer(isvc);
  const fromEnv = text(mappings(custom?.env).find((e) => e.name === 'STORAGE_URI')?.value);
  if (fromEnv) return normalizeUri(fromEnv);
  const storage = mapping(model.storage);
  const path = text(storage.path);
  const bucket = text(mapping(storage.parameters).bucket);
  if (path && bucket) return normalizeUri(`s3://${bucket}/${path.replace(/^\/+/, '')}`);
  if (path) return `${text(storage.key) ? `the storage key '${storage.key}' at ` : ''}path ${path}`;
  return undefined;
}

/**
 * Where an InferenceService's predictor writes its model location as the empty string: `<model field>.storageUri: ""`,
 * or, for a custom predictor, kserve-container's env STORAGE_URI with value "". KServe tests the field for nil, not
 * for emptiness (kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go: `sourceURI != nil`), so ""
 * still injects the storage initializer. Undefined when the location is absent or not empty.
 */
export function emptyStorageUriField(isvc: Loose): string | undefined {
  if (isvc.kind !== 'InferenceService') return undefined;
  const model = predictorModelOf(isvc);
  if (model) return model.spec.storageUri === '' ? `${model.field}.storageUri` : undefined;
  const custom = customServingContainer(isvc);
  const env = mappings(custom?.env).find((e) => e.name === 'STORAGE_URI');
  return env?.value === '' && env.valueFrom === undefined ? "kserve-container's env STORAGE_URI" : undefined;
}

/** `s3://b/p` and `s3://b/p/` name the same model directory; other schemes (oci://, hf://, pvc://) stay as written. */
export function normalizeUri(uri: string): string {
  if (!/^(s3|gs):\/\//.test(uri)) return uri;
  return uri.endsWith('/') ? uri : `${uri}/`;
}
