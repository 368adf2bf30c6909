import { Loose, mapping, text } from '../../manifests/access';

/** The namespace an Application's destination gives namespace-less objects; undefined when it names none or a template. */
export function destinationNamespace(app: Loose): string | undefined {
  const ns = text(mapping(mapping(app.spec).destination).namespace);
  return ns && !ns.includes('{{') ? ns : undefined;
}
