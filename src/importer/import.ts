import { Construct } from 'constructs';
import { dgdVersionOf, importDeployment, importWarningsOf } from './from-manifest';
import { expandLists, parseYamlStream, readTextFile } from './yaml';
import { DynamoValidationError } from '../base/errors';
import { DynamoGraphDeployment, registerDeploymentImporter } from '../dynamo/deployment';

/**
 * Brings existing DynamoGraphDeployment manifests (v1alpha1 or v1beta1) into the
 * library: each becomes a `DynamoGraphDeployment` whose services get adapters and
 * autoscalers exactly as for one built in code.
 *
 * Every field is kept: the typed options where the library has them, the escape
 * hatches (`podSpec`, `mainContainer`, `podMetadata`, JSON patches on `apiObject`) for
 * the rest, so the DGD synthesizes back to its manifest. The only changes are the
 * library's documented ones (deprecated `autoscaling` and `dynamoNamespace` dropped, a
 * disabled `scalingAdapter` spelled out, `replicas` of an adapter-owned service
 * dropped), each recorded as a warning naming the field (`DynamoImport.warningsOf`).
 */
export class DynamoImport {
  /**
   * Imports one DGD manifest (a parsed object) as a `DynamoGraphDeployment` under `scope`.
   * Same as `DynamoGraphDeployment.fromManifest`.
   */
  public static fromManifest(scope: Construct, id: string, manifest: { [key: string]: any }): DynamoGraphDeployment {
    return importDeployment(scope, id, manifest).deployment;
  }

  /**
   * Imports every DGD of a YAML stream (one or more documents, Lists included); documents
   * of other kinds are left alone (bring them in with cdk8s' `Include`). Each DGD's construct id
   * is its name (`<name>-2`, ... when names repeat). Errors name the file and document.
   * @param file the name used in messages
   */
  public static fromYaml(scope: Construct, yaml: string, file?: string): DynamoGraphDeployment[] {
    const name = file ?? '<yaml>';
    const out: DynamoGraphDeployment[] = [];
    const used = new Set<string>();
    for (const doc of expandLists(parseYamlStream(yaml, name)).docs) {
      if (dgdVersionOf(doc.manifest) === undefined && doc.manifest?.kind !== 'DynamoGraphDeployment') continue;
      const base = typeof doc.manifest?.metadata?.name === 'string' ? doc.manifest.metadata.name : `dgd-${doc.index + 1}`;
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      out.push(withDocument(doc.where, () => importDeployment(scope, id, doc.manifest, { where: doc.where }).deployment));
    }
    return out;
  }

  /**
   * Imports every DGD of a YAML file; see `fromYaml`.
   */
  public static fromFile(scope: Construct, file: string): DynamoGraphDeployment[] {
    return DynamoImport.fromYaml(scope, readTextFile(file), file);
  }

  /**
   * The documented changes made when `deployment` was imported, one message per field
   * (empty for a DGD built in code).
   */
  public static warningsOf(deployment: DynamoGraphDeployment): string[] {
    return importWarningsOf(deployment);
  }

  private constructor() {}
}

/**
 * Runs `fn`; a library error that does not already name the document gets its name
 * in front (errors from the service checks name construct paths).
 * @internal
 */
export function withDocument<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e: any) {
    if (e instanceof DynamoValidationError && !e.message.includes(where)) {
      throw new DynamoValidationError(`${where}: ${e.message}`);
    }
    throw e;
  }
}

// DynamoGraphDeployment.fromManifest/fromFile delegate here (see registerDeploymentImporter).
registerDeploymentImporter(DynamoImport);
