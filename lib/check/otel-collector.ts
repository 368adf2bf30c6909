import { isMapping, Loose, mapping, stringMap, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { GraphObject } from './graph-object';

/** An exporter's endpoint of an OpenTelemetry Collector configuration, the field that holds it, and whether it has a scheme. */
export interface ExporterEndpoint {
  readonly field: string;
  readonly host: string;
  readonly schemed: boolean;
}

/** `host:port` with no scheme, as the otlp (gRPC) exporter takes it; `scheme://host…` as the HTTP ones do. */
const SCHEMED = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([A-Za-z0-9][A-Za-z0-9.-]*)/i;
const HOST_PORT = /^([A-Za-z0-9][A-Za-z0-9.-]*):\d+$/;

/**
 * A Collector configuration: a mapping with `exporters` beside `receivers` or `service` (opentelemetry-collector
 * otelcol config: receivers, processors, exporters, extensions and service.pipelines at the top).
 */
function isCollectorConfig(config: Loose): boolean {
  return isMapping(config.exporters) && (isMapping(config.receivers) || isMapping(config.service));
}

/**
 * Each exporter's `endpoint` (otlp, otlphttp, prometheusremotewrite, loki, …: opentelemetry-collector exporter
 * configs, confighttp/configgrpc ClientConfig.Endpoint), with its host; one left to the environment (`${env:X}`) is not read.
 */
function endpointsOf(config: Loose, where: string): ExporterEndpoint[] {
  if (!isCollectorConfig(config)) return [];
  return Object.entries(mapping(config.exporters)).flatMap(([name, exporter]) => {
    const endpoint = text(mapping(exporter).endpoint)?.trim();
    if (!endpoint || endpoint.includes('$') || endpoint.includes('{{')) return [];
    const schemed = SCHEMED.exec(endpoint);
    const bare = schemed ? undefined : HOST_PORT.exec(endpoint);
    const host = schemed?.[1] ?? bare?.[1];
    return host ? [{ field: `${where}exporters.${name}.endpoint`, host, schemed: schemed !== null }] : [];
  });
}

/**
 * The exporter endpoints of the Collector configurations an object holds: a ConfigMap's data values that parse as
 * one, an OpenTelemetryCollector's spec.config (a mapping in v1beta1, a YAML string in v1alpha1).
 */
export function collectorExporterEndpoints(o: GraphObject): ExporterEndpoint[] {
  if (o.manifest.kind === 'ConfigMap') {
    return Object.entries(stringMap(o.manifest.data)).flatMap(([key, value]) => {
      if (!/exporters\s*:/.test(value)) return [];
      const parsed = parseOne(value);
      return 'value' in parsed && isMapping(parsed.value) ? endpointsOf(parsed.value, `data.${key} `) : [];
    });
  }
  if (o.manifest.kind !== 'OpenTelemetryCollector' || !String(o.manifest.apiVersion ?? '').startsWith('opentelemetry.io/')) return [];
  const config = mapping(o.manifest.spec).config;
  if (isMapping(config)) return endpointsOf(config, 'spec.config.');
  if (typeof config !== 'string') return [];
  const parsed = parseOne(config);
  return 'value' in parsed && isMapping(parsed.value) ? endpointsOf(parsed.value, 'spec.config ') : [];
}
