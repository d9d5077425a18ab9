/** Output formats of -o. */
export type OutputFormat = 'text' | 'json' | 'yaml';

/** The values -o accepts. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml'];
