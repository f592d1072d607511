import * as fs from 'fs';
import * as path from 'path';

/** src/core is the layer below dynamo/ and autoscaling/: the rule engine uses it over plain manifests. */
describe('src/core imports neither cdk8s nor constructs nor the layers above it', () => {
  const dir = path.join(__dirname, '..', 'src', 'core');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
  test.each(files)('%s', (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const i of imports) {
      expect(i).not.toMatch(/^(cdk8s|cdk8s-plus-\d+|constructs)$/);
      expect(i).toMatch(/^\.\/|^[a-z@]/);
    }
  });
});
