import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-dynamo',
  description:
    'cdk8s constructs for NVIDIA Dynamo: DynamoGraphDeployments, their scaling adapters, and the KEDA, HPA, Planner and AIBrix autoscalers that drive them.',
  author: 'cdk8s-dynamo developers',
  authorAddress: 'dev@cdk8s-dynamo.local',
  repositoryUrl: 'https://example.invalid/cdk8s-dynamo.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk8s', 'kubernetes', 'dynamo', 'nvidia', 'keda', 'autoscaling', 'llm'],

  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.0.0',

  // No cdk8s-plus peer: the public API takes cdk8s-plus values (28 to 33) structurally,
  // so an app keeps the one cdk8s-plus it chose. cdk8s-plus-28 is a devDependency for tests.
  // Run-time dependencies of the rule engine, the schema validation and the
  // `cdk8s-dynamo` command. jsii libraries bundle their non-jsii dependencies.
  // commander 14 is the last major that runs on Node 20.
  bundledDeps: [
    'yaml@^2.9.1',
    // cdk8s-dynamo lint reads documents with js-yaml (about six times faster than yaml's
    // document model); yaml stays for exact positions and error messages.
    'js-yaml@^4.1.0',
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    '@bufbuild/cel@0.6.1',
    // @bufbuild/cel's peer dependency: bundled too, or the packed library cannot load it.
    '@bufbuild/protobuf@^2.6.2',
    'commander@^14.0.3',
    'cli-progress@^3.12.0',
  ],
  devDeps: [
    'cdk8s-plus-28@2.5.6',
    'cdk8s-cli@2.207.60',
    '@types/cli-progress@^3.11.6',
    'fast-check@^4.11.0',
    'ts-node@^10.9.2',
    '@kubernetes-models/prometheus-operator@^4.4.4',
    // cdk8s-dynamo lint: SARIF types, and the tests' SARIF (draft-04 schema) and XML checks.
    '@types/sarif@^2.1.7',
    '@types/js-yaml@^4.0.9',
    'ajv-draft-04@^1.0.0',
    'fast-xml-parser@^5.12.1',
  ],

  // The project lives in a plain git repository with no hosted CI of its own:
  // CI is .ci/run, so no GitHub workflows and no release machinery.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  docgen: true,
  eslint: true,
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'projenrc', '.projenrc.ts'],
    ignorePatterns: ['imports/**', '*.d.ts', '*.js', 'node_modules/', 'dist/', 'lib/', 'coverage/'],
  },

  // jsii compiles src/ only. The generated bindings in imports/ are not compiled or
  // shipped: no code uses them (the rule engine validates against the bundled schemas,
  // and the constructs render plain specs), and they made up 10 MB of the package.
  tsconfig: {
    include: ['src/**/*.ts'],
    compilerOptions: {
      rootDir: '.',
    },
  },
  tsconfigDev: {
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', 'projenrc/**/*.ts', '.projenrc.ts'],
    compilerOptions: {},
  },

  jestOptions: {
    // Never rewrite snapshots while testing: a changed snapshot is a failure.
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/'],
      testTimeout: 60_000,
    },
  },
  gitignore: ['/dist/', '/.bench/'],
});

// With rootDir '.', the compiled entry point is lib/src/index.js.
project.package.addField('main', 'lib/src/index.js');
project.package.addField('types', 'lib/src/index.d.ts');

// Generated bindings: committed, marked generated, never edited by hand.
project.gitattributes.addAttributes('/imports/**', 'linguist-generated');

// `npx projen import`: regenerate imports/ from the vendored crds/, offline and repeatable.
project.addTask('import', {
  description: 'Generate typed bindings in imports/ from the vendored CRDs in crds/ (offline)',
  exec: 'ts-node --transpile-only scripts/import-crds.ts',
});

// `npm run synth`: synthesize every example app into dist/examples/<example>/.
project.addTask('synth', {
  description: 'Synthesize every app in examples/ into dist/examples/<example>/',
  exec: 'ts-node --transpile-only scripts/synth-examples.ts',
});

project.addTask('bench', {
  description: 'Benchmark synthesis speed and memory; prints a table',
  exec: 'ts-node --transpile-only scripts/bench.ts',
});

// `npx cdk8s-dynamo lint|rules|...`: the compiled CLI (src/cli/main.ts starts with a shebang).
project.addBins({ 'cdk8s-dynamo': 'lib/src/cli/main.js' });

// `npx projen bundle-schemas`: rebuild schemas/crd-schemas.json.gz from crds/ (the
// package validates with the bundle; crds/ itself is not shipped).
project.addTask('bundle-schemas', {
  description: 'Bundle the served CRD versions\' schemas from crds/ into schemas/crd-schemas.json.gz',
  exec: 'ts-node --transpile-only scripts/bundle-schemas.ts',
});

// `npx projen rules-doc`: regenerate docs/rules.md from the rule engine.
project.addTask('rules-doc', {
  description: 'Write docs/rules.md from the rule engine\'s rule list',
  exec: 'ts-node --transpile-only scripts/rules-doc.ts',
});

project.npmignore?.exclude('/scripts/', '/examples/', '/.ci/', '/.bench/', '/imports/', '/crds/');
// The CRD schemas the rule engine validates with at run time.
project.npmignore?.include('/schemas/crd-schemas.json.gz');

// Layers, lowest first: every folder of src/ imports only from folders before it in this
// list, so no import runs back up and folders form no cycle (test/core-layer.test.ts
// proves that lint fails on a violation).
// - core: pure functions over plain data (no cdk8s, no constructs);
// - validate, rules: checks over plain manifests;
// - check: the rule engine's checker and synth plugin (manifests only);
// - base: the construct-level base (errors, naming, validators, the scale-target
//   contract and the app-wide autoscaler registry), below both dynamo/ and autoscaling/;
// - dynamo, autoscaling: the constructs (autoscalers bind to targets through base/);
// - importer, convert, simulate, cli: the tools built on them.
const LAYERS = ['core', 'validate', 'rules', 'check', 'base', 'dynamo', 'autoscaling', 'importer', 'convert', 'simulate', 'cli'];
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: LAYERS.slice(0, -1).map((layer, i) => ({
      target: `./src/${layer}`,
      from: LAYERS.slice(i + 1).map((above) => `./src/${above}`),
    })),
  }],
});

project.synth();
