import { Loose, text } from './access';
import { enabledItems, PrimaryPort, Unmodelled } from './app-template-containers';
import { NameContext, serviceName } from './app-template-names';

/** A Service as the renderer sees it: identifier, values, name, controller. */
export interface ServiceItem {
  readonly id: string;
  readonly values: Loose;
  readonly name: string;
  readonly controller?: string;
}

/** 2.x lib/service/_validate.tpl: a Service other than ExternalName needs an enabled port, each with a number. */
function validate2(id: string, v: Loose): void {
  if (text(v.type) === 'ExternalName') return;
  const ports = enabledItems(v.ports);
  if (!ports.length) throw new Unmodelled(`service.${id} enables no port, and the chart fails on it`);
  for (const [name, p] of ports)
    if (!p.port)
      throw new Unmodelled(
        `service.${id}.ports.${name} has no port number (the library's default service.main.ports.http has none), and the chart fails on it`,
      );
}

/**
 * lib/service/_enabled_services.tpl (4.x and 5.x: the only controller is a Service's when it names none,
 * _autoDetectController.tpl; 2.x and 3.x: it must name one).
 */
export function services(c: NameContext, controllers: readonly string[]): ServiceItem[] {
  const enabled = enabledItems(c.values.service);
  return enabled.map(([id, v]) => {
    const named = text(v.controller);
    const controller = named ?? (c.major >= 4 && controllers.length === 1 ? controllers[0] : undefined);
    if (!controller || !controllers.includes(controller)) throw new Unmodelled(`service.${id} names no enabled controller, and the chart fails on it`);
    if (c.major === 2) validate2(id, v);
    return { id, values: v, name: serviceName(c, id, v, enabled.length), controller };
  });
}

/** lib/service/_primary_port.tpl: a Service's primary (else first) enabled port. */
export function servicePrimaryPort(service: ServiceItem): Loose | undefined {
  const ports = enabledItems(service.values.ports);
  return ports.find(([, p]) => p.primary === true)?.[1] ?? ports[0]?.[1];
}

/** lib/service/_primaryForController.tpl and _primary_port.tpl: the primary (else first) Service of a controller, and its primary (else first) enabled port. */
export function primaryPort(list: readonly ServiceItem[], controller: string): PrimaryPort | undefined {
  const own = list.filter((s) => s.controller === controller);
  const service = own.find((s) => s.values.primary === true) ?? own[0];
  if (!service) return undefined;
  const port = servicePrimaryPort(service);
  return port ? { port: port.port, targetPort: port.targetPort, protocol: text(port.protocol) } : undefined;
}

/** lib/service/_getPortNumberByName.tpl: the number of a Service's port by its key, else undefined. */
export function portNumberByName(service: ServiceItem | undefined, name: string): unknown {
  const port = enabledItems(service?.values.ports).find(([k]) => k === name)?.[1];
  return port?.port ?? undefined;
}
