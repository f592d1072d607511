import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from '../../base/errors';
import { DynamoResource } from '../../base/resource';
import { requireDnsSubdomain } from '../../base/validators';

const TRIGGER_AUTHENTICATION = { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication' };

/**
 * Credentials for a trigger: a reference to a TriggerAuthentication or
 * ClusterTriggerAuthentication. Credentials are never rendered inline.
 */
export class KedaAuthentication {
  /** A TriggerAuthentication (in the ScaledObject's namespace) by name. */
  public static triggerAuthentication(name: string): KedaAuthentication {
    return new KedaAuthentication(name, 'TriggerAuthentication');
  }

  /** A ClusterTriggerAuthentication by name. */
  public static clusterTriggerAuthentication(name: string): KedaAuthentication {
    return new KedaAuthentication(name, 'ClusterTriggerAuthentication');
  }

  /**
   * The namespace of the TriggerAuthentication, when this library defines it.
   * @internal
   */
  public _namespace?: string;

  private constructor(public readonly name: string, public readonly kind: string) {
    requireDnsSubdomain(`KedaAuthentication.${kind}`, 'name', name, 'the authentication object');
  }

  /** @internal */
  public _toKube(): any {
    return { name: this.name, kind: this.kind };
  }
}


/**
 * Properties of a `KedaTriggerAuthentication`.
 */
export interface KedaTriggerAuthenticationProps {
  /** Name of the TriggerAuthentication. */
  readonly name: string;
  /** The Secret that holds the credentials. */
  readonly secretName: string;
  /**
   * Trigger parameter -> key in the Secret, e.g. `{ bearerToken: 'token' }`.
   */
  readonly parameters: { [parameter: string]: string };
  /**
   * Namespace (the ScaledObject's).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * A KEDA TriggerAuthentication whose parameters all come from one Secret
 * (`secretTargetRef`): credentials stay in the Secret, never in the manifests.
 */
export class KedaTriggerAuthentication extends DynamoResource {
  /** A reference for `PrometheusTriggerOptions.authentication`. */
  public readonly authentication: KedaAuthentication;
  /** The underlying ApiObject. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: KedaTriggerAuthenticationProps) {
    super(scope, id);
    requireDnsSubdomain(this, 'name', props.name);
    requireDnsSubdomain(this, 'secretName', props.secretName, 'a Secret');
    const entries = Object.entries(props.parameters ?? {});
    if (entries.length === 0) {
      throw invalid(this, 'parameters', props.parameters, 'needs at least one parameter -> secret key mapping, e.g. { bearerToken: "token" }');
    }
    for (const [param, key] of entries) {
      if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key)) {
        throw invalid(this, `parameters.${param}`, key, 'must be a key of the Secret (letters, digits, -, _ and .)');
      }
    }
    this.authentication = KedaAuthentication.triggerAuthentication(props.name);
    // Known here, so that a ScaledObject in another namespace can be refused.
    this.authentication._namespace = props.namespace ?? Chart.of(this).namespace;
    this.apiObject = new ApiObject(this, 'Resource', {
      ...TRIGGER_AUTHENTICATION,
      metadata: { name: props.name, namespace: props.namespace },
      spec: { secretTargetRef: entries.map(([parameter, key]) => ({ parameter, name: props.secretName, key })) },
    });
  }
}
