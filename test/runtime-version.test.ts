/**
 * The construct-free Dynamo 1.5 admission rules in src/core: runtime-version parsing,
 * the runtimeVersionOverride pattern, Grove's name budget, int32. The tables marked
 * "upstream" are ported as data from the operator's own tests.
 */
import { crdVersions, loadUpstream } from './support';
import { dgdComponents } from '../src/core/dgd-components';
import { ENABLE_GROVE_ANNOTATION, groveNameLength, groveNameLengthProblem, longestPodCliqueName, pcsNameForDgd } from '../src/core/grove';
import { INT32_MAX, isInt32 } from '../src/core/int32';
import { DynamoRelease } from '../src/core/release';
import { holdsIn, RELEASE_RULES } from '../src/core/release-rules';
import {
  eppConfigProblem, imageTag, isRuntimeVersionOverride, parseImageRuntimeVersion, resolveRuntimeVersion,
  RUNTIME_VERSION_OVERRIDE_PATTERN, runtimeVersionProblems,
} from '../src/core/runtime-version';

const v = (major: number, minor: number, patch: number) => ({ major, minor, patch });

describe('runtime version of an image tag', () => {
  // Upstream: ai-dynamo/dynamo deploy/operator/internal/runtimeversion/runtimeversion_test.go
  // (TestParseImageVersion, TestResolve, TestParse; commits 4596d1a6 and 2f613329).
  const UPSTREAM_IMAGES: Array<[string, ReturnType<typeof v> | 'error']> = [
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:v1.2.3-cuda13', v(1, 2, 3)],
    ['registry.example/runtime:sha-123', 'error'],
    ['nvcr.io/nvidia/ai-dynamo/runtime:v1.5.0-cuda13', v(1, 5, 0)],
    ['nvcr.io/nvidia/ai-dynamo/runtime:latest', 'error'],
  ];
  // The same rules on the cases the issue names and the edges of the operator's reading
  // of an image reference (digest cut first, tag after the last ':' past the last '/').
  const MORE_IMAGES: Array<[string, ReturnType<typeof v> | 'error']> = [
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1', v(1, 5, 1)],
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:my-tag', 'error'],
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime', 'error'],
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'error'],
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', v(1, 5, 0)],
    ['localhost:5000/vllm-runtime', 'error'],
    ['localhost:5000/vllm-runtime:1.4.2', v(1, 4, 2)],
    ['runtime:V1.5.0', v(1, 5, 0)],
    ['runtime:1.5', 'error'],
    ['runtime:1.5.0.1', 'error'],
    ['runtime:01.5.0', 'error'],
    ['runtime:1.5.0-rc.01', 'error'],
    ['runtime:1.5.0-rc.1+build.7', v(1, 5, 0)],
    ['runtime:vv1.5.0', 'error'],
    ['  runtime:1.5.0  ', v(1, 5, 0)],
    ['runtime:18446744073709551615.0.0', v(18446744073709551615, 0, 0)],
    ['runtime:18446744073709551616.0.0', 'error'],
    ['runtime:', 'error'],
  ];

  test.each([...UPSTREAM_IMAGES, ...MORE_IMAGES])('%j', (image, expected) => {
    const r = parseImageRuntimeVersion(image);
    if (expected === 'error') {
      expect(r.version).toBeUndefined();
      expect(r.error).toMatch(/does not contain a tag|must contain a semantic version such as "1\.1\.0"/);
    } else {
      expect(r).toEqual({ version: expected });
    }
  });

  test('the tag as the operator reads it', () => {
    expect(imageTag('nvcr.io/a/b:1.0.0@sha256:ff')).toBe('1.0.0');
    expect(imageTag('nvcr.io/a/b@sha256:ff')).toBe('');
    expect(imageTag('localhost:5000/b')).toBe('');
    expect(imageTag('b:latest')).toBe('latest');
  });

  // Upstream TestResolve: the override is authoritative; TestParse: an incomplete override fails.
  test('resolve: the override wins over the tag, and must be MAJOR.MINOR.PATCH', () => {
    expect(resolveRuntimeVersion('nvcr.io/nvidia/ai-dynamo/runtime:1.5.0', '1.4.0')).toEqual({ version: v(1, 4, 0) });
    expect(resolveRuntimeVersion('nvcr.io/nvidia/ai-dynamo/runtime:v1.5.0-cuda13')).toEqual({ version: v(1, 5, 0) });
    expect(resolveRuntimeVersion('runtime:latest', '1.2.3')).toEqual({ version: v(1, 2, 3) });
    expect(resolveRuntimeVersion('runtime:1.5.0', '1.2').error).toMatch(/must be a semantic version/);
    expect(resolveRuntimeVersion('runtime:latest').error).toMatch(/"latest" must contain a semantic version/);
  });
});

describe('runtimeVersionOverride pattern', () => {
  test('is the vendored 1.5 CRD pattern, in both DGD API versions', () => {
    const dgd = [...crdVersions().values()].filter((c) => c.kind === 'DynamoGraphDeployment');
    const alpha = dgd.find((c) => c.version === 'v1alpha1')!.schema.properties.spec.properties.services.additionalProperties.properties.runtimeVersionOverride;
    const beta = dgd.find((c) => c.version === 'v1beta1')!.schema.properties.spec.properties.components.items.properties.runtimeVersionOverride;
    expect(alpha.pattern).toBe(RUNTIME_VERSION_OVERRIDE_PATTERN.source);
    expect(beta.pattern).toBe(RUNTIME_VERSION_OVERRIDE_PATTERN.source);
  });

  test.each(['1.5.0', '0.0.0', '9999.9999.9999', '1.10.2'])('%j is valid', (s) => expect(isRuntimeVersionOverride(s)).toBe(true));
  test.each(['1.5', 'v1.5.0', '1.05.0', '10000.0.0', '1.5.0-rc1', ' 1.5.0', '', 1.5])('%j is not', (s) => expect(isRuntimeVersionOverride(s)).toBe(false));
});

describe('1.5 runtime-version admission of one component', () => {
  test('no main image', () => {
    expect(runtimeVersionProblems({})).toEqual([{ field: 'image', value: undefined, message: expect.stringMatching(/non-empty image/) }]);
    expect(runtimeVersionProblems({ mainImage: '', override: '1.5.0' }).map((p) => p.field)).toEqual(['image']);
  });
  test('a tag that is not a version, without and with an override', () => {
    expect(runtimeVersionProblems({ mainImage: 'r:my-tag' })).toEqual([
      { field: 'image', value: 'r:my-tag', message: expect.stringMatching(/"my-tag" must contain a semantic version .*requires 'runtimeVersionOverride'/) },
    ]);
    expect(runtimeVersionProblems({ mainImage: 'r:my-tag', override: '1.5.1' })).toEqual([]);
    expect(runtimeVersionProblems({ mainImage: 'r:1.5.1' })).toEqual([]);
  });
  test('a malformed override is reported whatever the image', () => {
    expect(runtimeVersionProblems({ mainImage: 'r:1.5.1', override: '1.5' }).map((p) => p.field)).toEqual(['runtimeVersionOverride']);
  });
  test("sidecar mode: the runtime image is the 'runtime' init container's", () => {
    // The engine image's tag is an engine version, not Dynamo's: it does not count.
    expect(runtimeVersionProblems({ mainImage: 'vllm/vllm-openai:0.11.0', sidecarRuntimeImage: 'nvcr.io/nvidia/ai-dynamo/dynamo-sidecar:1.5.1' })).toEqual([]);
    expect(runtimeVersionProblems({ mainImage: 'vllm/vllm-openai:0.11.0', sidecarRuntimeImage: 'dynamo-sidecar:latest' })).toEqual([
      { field: 'sidecarImage', value: 'dynamo-sidecar:latest', message: expect.stringMatching(/'runtime' init container's \(sidecar mode\)/) },
    ]);
    expect(runtimeVersionProblems({ mainImage: 'vllm/vllm-openai:latest', sidecarRuntimeImage: 'dynamo-sidecar:latest', override: '1.5.1' })).toEqual([]);
  });
});

describe('EPP contract (upstream: eppRuntimeCompatibilityError, webhook validation)', () => {
  test('1.5.0 and later: no eppConfig; earlier: eppConfig required', () => {
    expect(eppConfigProblem(v(1, 5, 0), false)).toBeUndefined();
    expect(eppConfigProblem(v(2, 0, 0), true)).toMatch(/runtime 2\.0\.0 .*must not have eppConfig/);
    expect(eppConfigProblem(v(1, 4, 9), false)).toMatch(/runtime 1\.4\.9 \(earlier than 1\.5\.0, the legacy Go EPP\) requires eppConfig/);
    expect(eppConfigProblem(v(1, 4, 9), true)).toBeUndefined();
  });
});

describe("Grove's name budget", () => {
  test('single-node: PCS name + component name <= 45, the PCS name being the DGD name when it fits', () => {
    const comps = [{ name: 'Frontend' }, { name: 'decode' }];
    expect(pcsNameForDgd('my-llm', comps)).toBe('my-llm');
    expect(groveNameLength('my-llm', comps, comps[0])).toEqual({ length: 14, pcsName: 'my-llm', detail: "PCS name 'my-llm' + component name" });
  });

  test('a long DGD name is shortened to fit the longest component, with a 4-hex-digit FNV-1a suffix', () => {
    const comps = [{ name: 'decode' }];
    const long = 'a'.repeat(100);
    const pcs = pcsNameForDgd(long, comps);
    expect(pcs).toHaveLength(39);
    expect(pcs).toMatch(/^a{34}-[0-9a-f]{4}$/);
    // FNV-1a 32 of "a" x 100, low 16 bits (computed independently: h = (h ^ b) * 16777619 mod 2^32).
    /* eslint-disable no-bitwise */
    let h = 0x811c9dc5;
    for (let i = 0; i < 100; i++) h = Number((BigInt(h ^ 0x61) * BigInt(16777619)) % BigInt(2 ** 32));
    expect(pcs.slice(-4)).toBe((h & 0xffff).toString(16).padStart(4, '0'));
    /* eslint-enable no-bitwise */
    expect(groveNameLengthProblem(long, comps, comps[0])).toBeUndefined();
  });

  test('the PCS name never goes below 8 characters: a component of 38+ characters fails with a long DGD name', () => {
    const c37 = { name: 'x'.repeat(37) };
    const c38 = { name: 'x'.repeat(38) };
    expect(groveNameLengthProblem('long-deployment-name', [c37], c37)).toBeUndefined();
    expect(groveNameLength('long-deployment-name', [c38], c38).length).toBe(46);
    expect(groveNameLengthProblem('long-deployment-name', [c38], c38)).toMatch(/PCS name 'lon-[0-9a-f]{4}' \+ component name is 46 characters, over Grove's 45-character budget/);
    // A DGD name of 7 characters fits next to a 38-character component.
    expect(groveNameLengthProblem('abcdefg', [c38], c38)).toBeUndefined();
  });

  test('multinode: PCS + PCSG (the component) + longest PodClique (<component>-ldr/-wkr)', () => {
    const mn = { name: 'Decode', nodeCount: 2 };
    expect(longestPodCliqueName(mn)).toBe('decode-ldr');
    expect(groveNameLength('llm', [mn], mn)).toEqual({ length: 3 + 6 + 10, pcsName: 'llm', detail: "PCS name 'llm' + PCSG name + longest PodClique name 'decode-ldr'" });
    const big = { name: 'w'.repeat(17), nodeCount: 4 };
    expect(groveNameLength('llm', [big], big).length).toBe(3 + 17 + 21);
    expect(groveNameLength('llm-deployment', [big], big)).toMatchObject({ length: 8 + 17 + 21, pcsName: expect.stringMatching(/^llm-[0-9a-f]{4}$/) });
    expect(groveNameLengthProblem('llm-deployment', [big], big)).toMatch(/46 characters/);
    expect(groveNameLengthProblem('llm', [big], big)).toBeUndefined();
  });

  test('a longer component elsewhere shortens the PCS name for every component', () => {
    const comps = [{ name: 'f' }, { name: 'x'.repeat(30) }];
    expect(pcsNameForDgd('d'.repeat(20), comps)).toHaveLength(15);
  });

  test('the opt-out annotation is the operator\'s', () => expect(ENABLE_GROVE_ANNOTATION).toBe('nvidia.com/enable-grove'));
});

describe('int32', () => {
  test.each([0, 1, INT32_MAX])('%d fits', (n) => expect(isInt32(n, 0)).toBe(true));
  test.each([-1, INT32_MAX + 1, 1e12, 2 ** 31, 1.5, NaN, Infinity, '1'])('%p does not', (n) => expect(isInt32(n, 0)).toBe(false));
});

describe('release rules', () => {
  test('each rule holds from its release on', () => {
    expect(holdsIn(RELEASE_RULES.runtimeVersionResolvable, DynamoRelease.V1_5)).toBe(true);
    expect(holdsIn(RELEASE_RULES.runtimeVersionResolvable, DynamoRelease.V1_4)).toBe(false);
    expect(holdsIn(RELEASE_RULES.plannerConfigJson, DynamoRelease.V1_0)).toBe(true);
    expect(holdsIn(RELEASE_RULES.plannerConfigJson, DynamoRelease.V0_9)).toBe(false);
    expect(Object.values(RELEASE_RULES).map((r) => `${r.id}@${r.since.version}`)).toEqual([
      'planner-config-json@1.0', 'dgd-v1beta1@1.5', 'runtime-version-override-field@1.5', 'main-image-required@1.5',
      'runtime-version-resolvable@1.5', 'epp-runtime-contract@1.5', 'multinode-workers-only@1.5', 'grove-name-length@1.5',
    ]);
  });
});

describe('dgdComponents: a DGD manifest read as the admission rules read it', () => {
  test('upstream v1alpha1 and v1beta1 files: main image and paths; my-tag needs an override for 1.5', () => {
    for (const file of ['dynamo-v1alpha1/vllm/disagg.yaml', 'dynamo-v1beta1/vllm/disagg.yaml']) {
      const dgd = loadUpstream(file).find((m) => m.kind === 'DynamoGraphDeployment');
      const comps = dgdComponents(dgd);
      expect(comps.map((c) => c.name)).toEqual(['Frontend', 'VllmDecodeWorker', 'VllmPrefillWorker']);
      for (const c of comps) {
        expect(c.mainImage).toBe('nvcr.io/nvidia/ai-dynamo/vllm-runtime:my-tag');
        expect(runtimeVersionProblems(c).map((p) => p.field)).toEqual(['image']);
      }
      expect(comps[1].mainImagePath).toBe(file.includes('v1alpha1')
        ? 'spec.services.VllmDecodeWorker.extraPodSpec.mainContainer.image'
        : 'spec.components[1].podTemplate.spec.containers[0].image');
    }
  });

  test('sidecar init container, override, multinode, missing main container', () => {
    const [c, d] = dgdComponents({
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeployment',
      spec: {
        components: [
          {
            name: 'w',
            type: 'worker',
            runtimeVersionOverride: '1.5.0',
            multinode: { nodeCount: 2 },
            podTemplate: { spec: { initContainers: [{ name: 'x', image: 'a' }, { name: 'runtime', image: 's:1.5.1' }], containers: [{ name: 'main', image: 'e:latest' }] } },
          },
          { name: 'f', type: 'frontend', podTemplate: { spec: { containers: [{ name: 'side', image: 'x:1' }] } } },
        ],
      },
    });
    expect(c).toMatchObject({ name: 'w', nodeCount: 2, override: '1.5.0', mainImage: 'e:latest', sidecarRuntimeImage: 's:1.5.1', sidecarRuntimeImagePath: 'spec.components[0].podTemplate.spec.initContainers[1].image' });
    expect(d).toMatchObject({ name: 'f', mainImage: undefined, mainImagePath: 'spec.components[1].podTemplate.spec.containers[1].image' });
    expect(runtimeVersionProblems(d).map((p) => p.field)).toEqual(['image']);
    expect(dgdComponents({ kind: 'ConfigMap' })).toEqual([]);
  });
});
