import { describe, expect, it } from 'vitest';
import { SCAFFOLD_TEMPLATES, TEMPLATE_FORMS, templateArg } from '../../src/engine/index.js';

describe('the template table', () => {
  it('gives every wizard form a command-line template that takes each of its fields', () => {
    for (const form of TEMPLATE_FORMS) {
      expect(SCAFFOLD_TEMPLATES.map((t) => t.name)).toContain(form.template);
      for (const field of form.fields) {
        expect(templateArg(form.template, field.arg), `${form.id} ${field.arg}`).toBeDefined();
      }
    }
  });

  it('offers every command-line template in the wizard', () => {
    const offered = new Set(TEMPLATE_FORMS.map((form) => form.template));
    expect(SCAFFOLD_TEMPLATES.filter((t) => !offered.has(t.name))).toEqual([]);
  });
});
