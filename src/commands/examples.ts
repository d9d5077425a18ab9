/** One help example: what it does, and the command line (`$0` stands for `kubectl netpol`). */
export type Example = readonly [description: string, command: string];

/**
 * A help epilogue in kubectl's layout: each example a `# comment` over its command line, so
 * long commands stay whole and can be copied (yargs' two-column examples split them).
 */
export function kubectlExamples(examples: readonly Example[]): string {
  const blocks = examples.map(([description, command]) => `  # ${description}\n  ${command}`);
  return `Examples:\n${blocks.join('\n\n')}`;
}
