#!/usr/bin/env node
/**
 * Derives strict JSON schemas of the Kubernetes 1.33 built-in kinds from the typed bindings that
 * cdk8s-plus-33 ships (node_modules/cdk8s-plus-33/lib/imports/k8s.d.ts, generated from the Kubernetes
 * OpenAPI definitions), into schemas/k8s/k8s-1.33.json.
 *
 *   npm run derive-k8s-schemas
 *
 * Every interface tagged `@schema <definition>` becomes a definition; each property's wire name is read from
 * its `@schema <definition>#<wireName>` tag (the TypeScript name differs for e.g. hostIPC), a property without
 * `?` is required, and objects reject unknown fields as kubectl's strict field validation does.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');
const DTS = require.resolve('cdk8s-plus-33/lib/imports/k8s.d.ts', { paths: [ROOT] });
const OUT = path.join(ROOT, 'schemas', 'k8s', 'k8s-1.33.json');

// The one list of cluster-scoped kinds, shared with `check` (lib/manifests/scope.ts).
const { isClusterScoped } = require(path.join(require('./ensure-built').ensureBuilt(), 'build', 'lib', 'manifests', 'scope.js'));

function jsDocTags(node) {
  return ts
    .getJSDocTags(node)
    .map((t) => ({ name: t.tagName.text, text: typeof t.comment === 'string' ? t.comment : (t.comment ?? []).map((c) => c.text).join('') }));
}

function schemaTag(node) {
  const t = jsDocTags(node).find((x) => x.name === 'schema');
  return t ? t.text.trim() : undefined;
}

/**
 * The fields Kubernetes declares as Go []byte, which its OpenAPI definitions mark `format: byte` and the API server
 * decodes as standard base64 (k8s.io/api core/v1 types.go Secret.Data, ConfigMap.BinaryData; certificates/v1
 * CertificateSigningRequestSpec.Request; admissionregistration WebhookClientConfig.CABundle; kube-aggregator
 * APIServiceSpec.CABundle). The typed bindings carry only `string`, so the format is put back here by schema tag.
 */
const BYTE_FIELDS = [
  /^io\.k8s\.api\.core\.v1\.Secret#data$/,
  /^io\.k8s\.api\.core\.v1\.ConfigMap#binaryData$/,
  /^io\.k8s\.api\.certificates\.v1(beta1)?\.CertificateSigningRequestSpec#request$/,
  /^io\.k8s\.api\.admissionregistration\.v1(beta1)?\.WebhookClientConfig#caBundle$/,
  /^io\.k8s\.kube-aggregator\.pkg\.apis\.apiregistration\.v1(beta1)?\.APIServiceSpec#caBundle$/,
];

/** A string schema marked `format: byte`, or a map's values marked so. */
function asBytes(schema) {
  if (schema.type === 'string') return { ...schema, format: 'byte' };
  if (schema.additionalProperties) return { ...schema, additionalProperties: asBytes(schema.additionalProperties) };
  throw new Error(`no string to mark as bytes in ${JSON.stringify(schema)}`);
}

function main() {
  const source = ts.createSourceFile(DTS, fs.readFileSync(DTS, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map();
  const enums = new Map();
  source.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
    if (ts.isEnumDeclaration(n)) enums.set(n.name.text, n);
  });

  const definitions = {};
  const intOrString = { 'x-kubernetes-int-or-string': true };
  const typeOf = (t) => {
    switch (t.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'number' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.AnyKeyword:
        return {};
      case ts.SyntaxKind.ArrayType:
        return { type: 'array', items: typeOf(t.elementType) };
      case ts.SyntaxKind.TypeLiteral: {
        const index = t.members.find(ts.isIndexSignatureDeclaration);
        if (!index) throw new Error(`unsupported type literal ${t.getText()}`);
        return { type: 'object', additionalProperties: typeOf(index.type) };
      }
      case ts.SyntaxKind.TypeReference: {
        const name = t.typeName.getText();
        if (name === 'Quantity') return { ...intOrString, format: 'quantity' };
        if (name === 'IntOrString') return intOrString;
        if (name === 'Date') return { type: 'string', format: 'date-time' };
        if (enums.has(name)) return { type: 'string', enum: enums.get(name).members.map((m) => m.initializer.text) };
        if (!interfaces.has(name)) throw new Error(`unknown type ${name}`);
        define(name);
        return { $ref: `#/definitions/${name}` };
      }
      default:
        throw new Error(`unsupported type ${ts.SyntaxKind[t.kind]}: ${t.getText()}`);
    }
  };
  const define = (name) => {
    if (definitions[name]) return;
    definitions[name] = {}; // placeholder against recursion (JSONSchemaProps refers to itself)
    const decl = interfaces.get(name);
    const properties = {};
    const required = [];
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m)) continue;
      const tag = schemaTag(m);
      const wire = tag && tag.includes('#') ? tag.split('#')[1] : m.name.getText().replace(/^'|'$/g, '');
      properties[wire] = tag && BYTE_FIELDS.some((b) => b.test(tag)) ? asBytes(typeOf(m.type)) : typeOf(m.type);
      if (!m.questionToken) required.push(wire);
    }
    definitions[name] = { type: 'object', properties, additionalProperties: false, ...(required.length ? { required: required.sort() } : {}) };
  };

  const k8s = require(require.resolve('cdk8s-plus-33', { paths: [ROOT] })).k8s;
  const kinds = {};
  for (const cls of Object.keys(k8s)
    .filter((k) => k.startsWith('Kube') && k8s[k].GVK)
    .sort()) {
    const { apiVersion, kind } = k8s[cls].GVK;
    if (kind.endsWith('List')) continue;
    const props = `${cls}Props`;
    if (!interfaces.has(props)) continue;
    define(props);
    const def = definitions[props];
    // the bindings add apiVersion and kind themselves; the wire object carries them
    def.properties = { apiVersion: { type: 'string', enum: [apiVersion] }, kind: { type: 'string', enum: [kind] }, ...def.properties };
    def.required = [...new Set([...(def.required ?? []), 'apiVersion', 'kind'])].sort();
    const key = `${apiVersion}/${kind}`;
    // several bindings may exist for one kind (e.g. beta versions): keep the first, which cdk8s-plus lists for the GA version
    if (!kinds[key]) kinds[key] = { definition: props, namespaced: !isClusterScoped(kind) };
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(
    OUT,
    JSON.stringify({
      source: `cdk8s-plus-33@${require(require.resolve('cdk8s-plus-33/package.json', { paths: [ROOT] })).version} lib/imports/k8s.d.ts`,
      kinds: sorted(kinds),
      definitions: sorted(definitions),
    }) + '\n',
  );
  console.log(`${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions -> ${path.relative(ROOT, OUT)}`);
}

main();
