import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { loadESLint } from 'eslint';
import { DynamoGraphDeployment } from '../src';

const SRC = path.join(__dirname, '..', 'src');

function fail(message: string): never {
  throw new Error(`eslint could not lint the probe: ${message}`);
}

/** src/core is the pure layer: the rule engine uses it over plain manifests. */
describe('src/core imports neither cdk8s nor constructs nor the layers above it', () => {
  const dir = path.join(SRC, 'core');
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

/** The folders of src/, lowest first, as .projenrc.ts declares them to eslint. */
const LAYERS = ['core', 'validate', 'rules', 'check', 'base', 'dynamo', 'autoscaling', 'importer', 'convert', 'simulate', 'cli'];

/** Every relative import of every file under src/, as [importing folder, imported folder, file, specifier]. */
function folderImports(): Array<[string, string, string, string]> {
  const out: Array<[string, string, string, string]> = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {walk(full);} else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)) {
          const target = path.relative(SRC, path.resolve(path.dirname(full), m[1]));
          const from = path.relative(SRC, full).split(path.sep)[0];
          out.push([from, target.split(path.sep)[0], path.relative(SRC, full), m[1]]);
        }
      }
    }
  };
  walk(SRC);
  return out;
}

describe('folders of src/ import only downward', () => {
  test('every folder is a declared layer', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual([...LAYERS].sort());
  });

  test('no import runs from a folder to one above it', () => {
    const up = folderImports().filter(([from, to]) => {
      if (!LAYERS.includes(from) || !LAYERS.includes(to)) return false;
      return LAYERS.indexOf(to) > LAYERS.indexOf(from);
    });
    expect(up).toEqual([]);
  });

  test('dynamo/ and autoscaling/ do not import each other\'s way up: dynamo imports nothing from autoscaling', () => {
    const cross = folderImports().filter(([from, to]) => from === 'dynamo' && to === 'autoscaling');
    expect(cross).toEqual([]);
  });
});

describe('the importer registers itself below', () => {
  test('DynamoGraphDeployment.fromManifest works from the package entry, which loads the importer', () => {
    const chart = new Chart(new App(), 'c');
    const dgd = DynamoGraphDeployment.fromManifest(chart, 'd', {
      apiVersion: 'nvidia.com/v1alpha1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'd' },
      spec: { services: { Frontend: { componentType: 'frontend', replicas: 1, extraPodSpec: { mainContainer: { image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1' } } } } },
    });
    expect(dgd).toBeInstanceOf(DynamoGraphDeployment);
    expect(dgd.service('Frontend')).toBeDefined();
  });

  test('without the importer loaded, fromManifest says how to load it instead of failing deep inside', () => {
    jest.isolateModules(() => {
      // A fresh module registry holding only the construct module, not the package entry.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../src/dynamo/deployment');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cdk8s = require('cdk8s');
      expect(() => isolated.DynamoGraphDeployment.fromManifest(new cdk8s.Chart(new cdk8s.App(), 'c'), 'd', {}))
        .toThrow(/\[DynamoGraphDeployment\.fromManifest\] the importer is not loaded: import the library from its package entry/);
    });
  });
});

describe('eslint fails on an import that runs back up', () => {
  // The zones of the project's .eslintrc.json (written by projen from .projenrc.ts), with
  // its parser and import resolver; the other rules and type information are left out
  // so that a probe need not be a file of the TypeScript project.
  const root = path.join(__dirname, '..');
  const rc = JSON.parse(fs.readFileSync(path.join(root, '.eslintrc.json'), 'utf8').replace(/^\/\/.*$/gm, ''));
  const zones = rc.rules['import/no-restricted-paths'];
  const linter = loadESLint({ useFlatConfig: false }).then((Legacy) => new Legacy({
    cwd: root,
    useEslintrc: false,
    overrideConfig: {
      parser: rc.parser,
      parserOptions: { ecmaVersion: 2018, sourceType: 'module' },
      plugins: ['import'],
      settings: rc.settings,
      rules: { 'import/no-restricted-paths': zones },
    },
  } as any));
  test('the zones are the layers in order, each closed to every folder above it', () => {
    expect(zones[0]).toBe('error');
    const targets = zones[1].zones.map((z: any) => z.target);
    expect(targets).toEqual(LAYERS.slice(0, -1).map((l) => `./src/${l}`));
    zones[1].zones.forEach((z: any, i: number) => expect(z.from).toEqual(LAYERS.slice(i + 1).map((l) => `./src/${l}`)));
  });
  const restricted = async (file: string, spec: string): Promise<string[]> => {
    const eslint = await linter;
    const [result] = await eslint.lintText(`import * as x from '${spec}';\nexport const y = x;\n`, { filePath: path.join(SRC, file) });
    return result.messages.filter((m) => m.fatal !== true || fail(m.message)).filter((m) => m.ruleId === 'import/no-restricted-paths').map((m) => m.message);
  };

  // One deliberate violation per layer boundary: [file in a lower folder, import from a higher one].
  test.each([
    ['core/x.ts', '../base/errors'],
    ['core/x.ts', '../rules'],
    ['validate/x.ts', '../rules'],
    ['rules/x.ts', '../dynamo/types'],
    ['base/x.ts', '../dynamo/scaling-adapter'],
    ['base/x.ts', '../autoscaling/hpa'],
    ['dynamo/x.ts', '../autoscaling/scale-target'],
    ['dynamo/x.ts', '../importer/from-manifest'],
    ['dynamo/deployment.ts', '../importer/import'],
    ['autoscaling/x.ts', '../importer/codegen'],
    ['importer/x.ts', '../cli/io'],
    ['convert/x.ts', '../cli/main'],
    ['simulate/x.ts', '../cli/io'],
  ])('%s importing %s is a lint error', async (file, spec) => {
    expect(await restricted(file, spec)).not.toEqual([]);
  }, 60_000);

  test.each([
    ['autoscaling/x.ts', '../dynamo/metrics'],
    ['autoscaling/x.ts', '../base/scale-target'],
    ['dynamo/x.ts', '../base/scale-target'],
    ['base/x.ts', '../core/identity'],
  ])('%s importing %s is allowed', async (file, spec) => {
    expect(await restricted(file, spec)).toEqual([]);
  }, 60_000);
});
