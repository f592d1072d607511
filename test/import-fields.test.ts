/**
 * The importer's lists of known DGD fields are the served CRD's: a field added to or
 * removed from the CRD fails here until the lists follow.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CRD_DIR } from './support';
import {
  OBJECT_FIELDS, V1ALPHA1_RESOURCE_ITEM_FIELDS, V1ALPHA1_SERVICE_FIELDS, V1ALPHA1_SPEC_FIELDS, V1BETA1_COMPONENT_FIELDS, V1BETA1_SPEC_FIELDS,
} from '../src/importer/fields';

const crd = YAML.parse(fs.readFileSync(path.join(CRD_DIR, 'dynamo/v1.5/nvidia.com_dynamographdeployments.yaml'), 'utf8'));
const schema = (v: string) => crd.spec.versions.find((x: any) => x.name === v).schema.openAPIV3Schema;
const keys = (o: any) => Object.keys(o.properties).sort();

test('v1alpha1 lists match the CRD', () => {
  const s = schema('v1alpha1');
  expect([...V1ALPHA1_SPEC_FIELDS].sort()).toEqual(keys(s.properties.spec));
  const svc = s.properties.spec.properties.services.additionalProperties;
  expect([...V1ALPHA1_SERVICE_FIELDS].sort()).toEqual(keys(svc));
  expect([...V1ALPHA1_RESOURCE_ITEM_FIELDS].sort()).toEqual(keys(svc.properties.resources.properties.limits));
  expect([...OBJECT_FIELDS].sort()).toEqual(keys(s));
});

test('v1beta1 lists match the CRD', () => {
  const s = schema('v1beta1');
  expect([...V1BETA1_SPEC_FIELDS].sort()).toEqual(keys(s.properties.spec));
  expect([...V1BETA1_COMPONENT_FIELDS].sort()).toEqual(keys(s.properties.spec.properties.components.items));
  expect([...OBJECT_FIELDS].sort()).toEqual(keys(s));
});
