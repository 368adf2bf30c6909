import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireBoolean, requireDnsLabel } from '../private/names';
import { constructPath } from '../private/scope';
import { syncWaveOf } from '../private/argocd';
import { VllmConstruct } from '../check/app-construct';
import { DASHBOARD_LABEL, DISPLAY_NAME_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/** Properties of a `ServingNamespace`. */
export interface ServingNamespaceProps {
  /** The namespace's name. */
  readonly name: string;
  /**
   * Let Red Hat build of Kueue manage it (`kueue.openshift.io/managed: "true"`): its workloads are admitted through
   * LocalQueues, and OpenShift AI then denies InferenceServices without a queue label.
   * @default true
   */
  readonly kueueManaged?: boolean;
  /**
   * Display name in the OpenShift AI dashboard.
   * @default - the name
   */
  readonly displayName?: string;
  /**
   * Argo CD sync wave: before everything that lives in it.
   * @default -1
   */
  readonly syncWave?: number;
}

/** A Namespace for model serving: shown in the OpenShift AI dashboard and, by default, managed by Kueue. */
export class ServingNamespace extends VllmConstruct {
  public readonly name: string;
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ServingNamespaceProps) {
    super(scope, id);
    const where = constructPath('ServingNamespace', this);
    this.name = requireDnsLabel(where, 'name', props.name);
    const labels: Record<string, string> = { [DASHBOARD_LABEL]: 'true' };
    requireBoolean(where, 'kueueManaged', props.kueueManaged);
    if (props.kueueManaged ?? true) labels['kueue.openshift.io/managed'] = 'true';
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.name,
        labels,
        annotations: {
          [DISPLAY_NAME_ANNOTATION]: props.displayName ?? this.name,
          [SYNC_WAVE_ANNOTATION]: String(syncWaveOf(where, props.syncWave, -1)),
        },
      },
    });
  }
}
