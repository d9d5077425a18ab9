import { expect } from 'vitest';
import { describeConformanceCases } from '../helpers/conformance-cases.js';

describeConformanceCases({
  folder: 'cilium',
  title: 'Cilium policies (cases from the Cilium documentation)',
  minimum: 15,
  // Each case quotes the sentence of the documentation that decides it, and where it is.
  eachCase: (name, { quote, url }) => {
    expect(String(quote).length, name).toBeGreaterThan(20);
    expect(url, name).toMatch(/^https:\/\//);
  },
});
