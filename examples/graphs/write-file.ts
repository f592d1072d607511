import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

/** Writes a non-manifest artifact (e.g. Helm values) next to the app's manifests. */
export function writeArtifact(app: App, file: string, content: string): void {
  fs.mkdirSync(app.outdir, { recursive: true });
  fs.writeFileSync(path.join(app.outdir, file), content);
}
