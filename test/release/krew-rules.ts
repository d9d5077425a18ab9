// What krew's index reviewers ask of a manifest beyond what krew's validator checks (that one
// runs for real in krew-validator.test.ts): a short description of at most 50 characters, long
// texts wrapped at 80 columns, an https homepage.

/** A platform entry of a krew manifest. */
export interface KrewPlatform {
  readonly selector?: {
    readonly matchLabels?: Record<string, string>;
  };
  readonly uri?: string;
  readonly sha256?: string;
  readonly bin?: string;
  readonly files?: readonly { from?: string; to?: string }[];
}

/** A krew plugin manifest, as read from YAML. */
export interface KrewPlugin {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly version?: string;
    readonly homepage?: string;
    readonly shortDescription?: string;
    readonly description?: string;
    readonly caveats?: string;
    readonly platforms?: readonly KrewPlatform[];
  };
}

/** Every way the manifest breaks the index reviewers' rules; [] if none. */
export function reviewerProblems(plugin: KrewPlugin): string[] {
  const problems: string[] = [];
  const spec = plugin.spec ?? {};
  if (!spec.homepage?.startsWith('https://')) problems.push('homepage should be an https URL');
  const short = spec.shortDescription ?? '';
  if (short.length > 50) problems.push(`shortDescription is ${short.length} characters (> 50)`);
  if (!spec.description) problems.push('description is missing');
  for (const field of ['description', 'caveats'] as const) {
    const long = (spec[field] ?? '')
      .split('\n')
      .filter((l) => l.length > 80 && /\s/.test(l.trim()));
    if (long.length > 0) problems.push(`${field} has lines over 80 characters`);
  }
  return problems;
}
