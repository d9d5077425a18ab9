import {
  CORE_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  mapTag,
  type Schema,
  seqTag,
  YAML11_SCHEMA,
} from 'js-yaml';

// A tag no schema knows (`!Ref x`, `!!binary` in YAML 1.2) is read as if it were absent, as
// kubectl's YAML reader does: matching every tag name by prefix, these come after exact ones.
const untaggedScalar = defineScalarTag('', {
  matchByTagPrefix: true,
  resolve: (source) => source,
  identify: () => false,
});
const untaggedSequence = defineSequenceTag('', {
  matchByTagPrefix: true,
  create: seqTag.create,
  addItem: seqTag.addItem,
  identify: () => false,
});
const untaggedMapping = defineMappingTag('', {
  matchByTagPrefix: true,
  create: mapTag.create,
  addPair: mapTag.addPair,
  has: mapTag.has,
  keys: mapTag.keys,
  get: mapTag.get,
  identify: () => false,
});
const untagged = [untaggedScalar, untaggedSequence, untaggedMapping];
const CORE = CORE_SCHEMA.withTags(untagged);
const YAML11 = YAML11_SCHEMA.withTags(untagged);

/** The schema of a YAML version: 1.2 (the default, its core schema) or 1.1 (`%YAML 1.1`). */
export function yamlSchema(version: string): Schema {
  return version === '1.1' ? YAML11 : CORE;
}
