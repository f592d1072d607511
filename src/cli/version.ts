import * as fs from 'fs';
import * as path from 'path';

/**
 * The package's version, from its package.json: found by walking up from this file,
 * which sits at src/cli (ts-node) or lib/src/cli (compiled).
 */
export function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'cdk8s-dynamo') return String(pkg.version);
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
