/**
 * Calico conformance cases: each folder under test/fixtures/conformance/calico holds policies
 * for the shared model and the probes they decide, with the documentation sentence (and its
 * address) that decides them. Each probe is answered by `check`'s engine path and by the matrix.
 */
import { expect } from 'vitest';
import { describeConformanceCases } from '../helpers/conformance-cases.js';

describeConformanceCases({
  folder: 'calico',
  title: 'Calico conformance (documented behaviour)',
  minimum: 15,
  eachCase: (name, { quote, url }) => {
    expect([name, typeof quote, String(url).startsWith('https://')]).toEqual([
      name,
      'string',
      true,
    ]);
  },
});
