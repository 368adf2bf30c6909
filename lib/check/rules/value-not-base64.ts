import { Loose, mapping, text } from '../../manifests/access';
import { CRD_KINDS_WITH_BYTES, NotBase64, notBase64Values } from '../../validation/byte-fields';
import { CORE_SCHEMA_SOURCE, coreFieldSchema, FieldSchema, fieldSchemaOf } from '../../validation/field-schemas';
import { perObject } from '../../private/run-memo';
import { apiGroupOf } from '../../k8s/api-version';
import { schemaTarget } from '../field-schema-choice';
import { ANY_KIND, Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import * as path from 'path';
import { appliesFile } from '../../manifests/script-applies';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { judgedAsTemplate, placeholderSecretFields } from './unrendered-placeholder';

/**
 * An Open Cluster Management hub template (`{{hub fromSecret … hub}}`): only the governance policy framework renders
 * it, inside a Policy's object-templates (open-cluster-management-io/config-policy-controller, hub templates); an
 * object of the tree itself reaches the API server with it as written.
 */
const HUB_TEMPLATE = /\{\{-?\s*hub\b/;

/** The value as a message shows it: quoted, shortened. */
const shownValue = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 56)}...` : v);

/** What to do instead: a Secret has stringData for plain text, other byte fields take base64 only. */
function fixFor(kind: string, field: string): string {
  const key = field.startsWith('data.') ? field.slice('data.'.length) : undefined;
  if (kind === 'Secret' && key !== undefined)
    return `move the plain value to stringData.${key} (the API server encodes it), or write its base64 (base64 -w0) under data`;
  return 'write the value base64-encoded (base64 -w0), padded with = to a multiple of four characters';
}

/** The command of the tree (a script's or README's `kubectl apply -f`) that applies the object's file as it is, if one does. */
function appliedAsIs(o: GraphObject, graph: ObjectGraph): string | undefined {
  if (!o.file || o.unit !== undefined || o.kustomizations?.length) return undefined;
  const file = path.resolve(o.file);
  const by = graph.scriptApplied.find((a) => !a.kustomize && appliesFile(a, file));
  return by ? `\`${by.command}\` (${by.script}:${by.line})` : undefined;
}

/**
 * notBase64Values of the object against its schema: a walk of every value, kept per object (perObject) for a built-in
 * kind's schema, which its definition's name decides; a CRD's schema (a few kinds) is walked each run.
 */
function byteValues(m: Loose, schema: FieldSchema): readonly NotBase64[] {
  const ref = schema.source === CORE_SCHEMA_SOURCE ? text(schema.schema.$ref) : undefined;
  const walk = () => notBase64Values(m, schema.schema, schema.definitions);
  return ref ? perObject(`not-base64 ${ref}`, m, walk) : walk();
}

export const valueNotBase64: Rule = {
  id: 'value-not-base64',
  title:
    "a field the API reads as bytes (a Secret's data, a ConfigMap's binaryData, a caBundle) holding text that is not base64: the API server refuses the object",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a field whose OpenAPI schema is `format: byte` (Go []byte: Secret data, ConfigMap binaryData, webhook and APIService caBundle, CertificateSigningRequest request, a shipped CRD's byte fields) holds a string that Go's standard base64 does not decode: characters outside A-Z a-z 0-9 + /, a length not a multiple of four, `=` padding missing or not at the end (line breaks are ignored); " +
    'a value holding a template another tool may render first (`${VAR}`, `{{ .Values.x }}`, a placeholder word such as PLACEHOLDER_KEY) is a warning, since the rendered value may be base64, but an error where a script or README of the tree applies the file as it is and nothing of the tree fills it (no script renders or seds the file, no template name or comment, no kustomization or Application leaves it out), and nothing where a script of the tree renders the file before applying it (sed, envsubst: the placeholder is filled, not a value) or where unrendered-placeholder reports the Secret value (`<REPLACE_WITH_BASE64_KEY>`: one mistake, one finding); an Open Cluster Management hub template (`{{hub … hub}}`), which only a Policy renders, is an error in an object of the tree; SOPS ciphertext (`ENC[AES256_GCM,…]`), which its decryptor replaces with the base64 it encrypted before the apply, is not judged',
  example: 'a Secret with `token: \'{{hub fromSecret "open-cluster-management" "hf" "token" hub}}\'` under data',
  fix: 'put plain text under stringData (the API server encodes it) or base64-encode the value (base64 -w0); keep a hub template inside the Policy that renders it',
  source:
    'kubernetes api/openapi-spec (core.v1.Secret data and ConfigMap binaryData: format byte) and k8s.io/api core/v1 types.go (Data map[string][]byte); Go encoding/json literalStore ([]byte through base64.StdEncoding) and encoding/base64 base64.go decodeQuantum, cases from base64_test.go TestDecodeCorrupt',
  check(o, ctx) {
    const m = o.manifest;
    const target = schemaTarget(m, ctx);
    if (!target || target.topLevelOnly) return [];
    // a custom resource's CRD schema is read only for the kinds with a byte field; a built-in kind's is looked up once
    const schema = CRD_KINDS_WITH_BYTES.includes(`${apiGroupOf(target.apiVersion)}/${target.kind}`)
      ? fieldSchemaOf(target.apiVersion, target.kind, target.judged, target.byKueue?.sets)
      : coreFieldSchema(target.apiVersion, target.kind);
    if (!schema) return [];
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    // a placeholder a script of the tree fills before it applies the file is no value (o.template says which script)
    // a Secret value unrendered-placeholder reports (`<REPLACE_WITH_BASE64_KEY>` under data) is that one mistake, said there once
    const placeholders = placeholderSecretFields(o, ctx.graph);
    // a file a script renders is judged as applied only where a command of the tree also applies it as it is
    const applied = appliedAsIs(o, ctx.graph);
    const values = byteValues(m, schema).filter(({ field, value }) => !(o.template && !applied && holdsTemplate(value)) && !placeholders.has(field));
    return values.map(({ field, value }): Problem => {
      const what = `${target.kind} ${name} sets ${field} to ${shownValue(value)}, which is not base64, and the ${schema.source} schema reads ${field} as bytes (format: byte): the API server refuses the ${target.kind}`;
      if (holdsTemplate(value) && !HUB_TEMPLATE.test(value)) {
        // nothing of the tree fills it (no renderer, sed, template name or comment; a loose file a kustomization or Application leaves out is a template too)
        if (applied && !o.template && !judgedAsTemplate(o, ctx.graph))
          return {
            message: `${what}: ${applied} applies the file as it is and nothing of the tree fills the placeholder (no renderer, sed or generator). Fix: ${fixFor(target.kind, field)}, or render the file before that apply`,
          };
        const also = applied && o.template ? ` (${o.template}, but ${applied} applies it as it is)` : '';
        return {
          severity: 'warning',
          message: `${what} unless a tool renders the template to base64 before the apply${also}. Fix: make sure the rendered value is base64, or ${fixFor(target.kind, field)}`,
        };
      }
      const hub = HUB_TEMPLATE.test(value)
        ? ' (only a Policy renders a hub template: deliver the object inside the Policy whose object-templates render it)'
        : '';
      return { message: `${what}${hub}. Fix: ${fixFor(target.kind, field)}` };
    });
  },
};
