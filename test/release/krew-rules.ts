// krew's manifest rules, as its index checks them (krew's internal/index/validation and
// cmd/validate-krew-manifest), plus the index reviewers' 50-character short description.

/** A platform entry of a krew manifest. */
export interface KrewPlatform {
  readonly selector?: {
    readonly matchLabels?: Record<string, string>;
    readonly matchExpressions?: readonly { key: string; operator: string; values?: string[] }[];
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

/** The os/arch pairs krew installs on. */
export const KREW_PLATFORMS: readonly (readonly [os: string, arch: string])[] = [
  ['darwin', 'amd64'],
  ['darwin', 'arm64'],
  ['linux', '386'],
  ['linux', 'amd64'],
  ['linux', 'arm'],
  ['linux', 'arm64'],
  ['linux', 'ppc64le'],
  ['linux', 's390x'],
  ['windows', '386'],
  ['windows', 'amd64'],
  ['windows', 'arm64'],
];

const SEMVER_WITH_V =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Whether a platform's selector selects os/arch, as a label selector does. */
export function selects(platform: KrewPlatform, os: string, arch: string): boolean {
  const labels: Record<string, string> = { os, arch };
  const { matchLabels = {}, matchExpressions = [] } = platform.selector ?? {};
  return (
    Object.entries(matchLabels).every(([key, value]) => labels[key] === value) &&
    matchExpressions.every(({ key, operator, values = [] }) => {
      const value = labels[key];
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      if (operator === 'Exists') return value !== undefined;
      return operator === 'DoesNotExist' && value === undefined;
    })
  );
}

function platformProblems(platform: KrewPlatform, at: string): string[] {
  const problems: string[] = [];
  if (!platform.uri) problems.push(`${at}: uri has to be set`);
  else if (!/\.(tar\.gz|tgz|zip)$/.test(platform.uri)) problems.push(`${at}: uri is no archive`);
  if (!/^[a-f0-9]{64}$/.test(platform.sha256 ?? '')) {
    problems.push(`${at}: sha256 must match ^[a-f0-9]{64}$`);
  }
  if (!platform.bin) problems.push(`${at}: bin has to be set`);
  if (platform.files?.length === 0) problems.push(`${at}: files has to be unset or non-empty`);
  for (const file of platform.files ?? []) {
    if (!file.from || !file.to) problems.push(`${at}: files need from and to`);
  }
  const selector = platform.selector;
  const keys = [
    ...Object.keys(selector?.matchLabels ?? {}),
    ...(selector?.matchExpressions ?? []).map((e) => e.key),
  ];
  if (keys.length === 0) problems.push(`${at}: empty selector`);
  for (const key of keys) {
    if (key !== 'os' && key !== 'arch') problems.push(`${at}: selector key ${key} not supported`);
  }
  const matched = KREW_PLATFORMS.filter(([os, arch]) => selects(platform, os, arch));
  if (matched.length === 0) problems.push(`${at}: selector matches no supported platform`);
  if (matched.some(([os]) => os === 'windows') && !platform.bin?.endsWith('.exe')) {
    problems.push(`${at}: a Windows bin must end in .exe`);
  }
  return problems;
}

/** Every way the manifest, to be published as `<name>.yaml`, breaks krew's rules; [] if none. */
export function krewProblems(plugin: KrewPlugin, name: string): string[] {
  const problems: string[] = [];
  const spec = plugin.spec ?? {};
  if (plugin.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') {
    problems.push(`apiVersion ${plugin.apiVersion} is not supported`);
  }
  if (plugin.kind !== 'Plugin') problems.push(`kind ${plugin.kind} is not Plugin`);
  if (!/^[\w-]+$/.test(name)) problems.push(`plugin name ${name} is not allowed`);
  if (plugin.metadata?.name !== name) problems.push(`metadata.name should be ${name}`);
  if (!SEMVER_WITH_V.test(spec.version ?? '')) {
    problems.push(`version ${spec.version} is no semver with v`);
  }
  if (!spec.homepage?.startsWith('https://')) problems.push('homepage should be an https URL');
  const short = spec.shortDescription ?? '';
  if (short === '') problems.push('shortDescription is missing');
  if (/[\r\n]/.test(short)) problems.push('shortDescription has a line break');
  if (short.length > 50) problems.push(`shortDescription is ${short.length} characters (> 50)`);
  if (!spec.description) problems.push('description is missing');
  for (const field of ['description', 'caveats'] as const) {
    const long = (spec[field] ?? '')
      .split('\n')
      .filter((l) => l.length > 80 && /\s/.test(l.trim()));
    if (long.length > 0) problems.push(`${field} has lines over 80 characters`);
  }
  const platforms = spec.platforms ?? [];
  if (platforms.length === 0) problems.push('no platforms');
  platforms.forEach((platform, i) => {
    problems.push(...platformProblems(platform, `platforms[${i}]`));
  });
  for (const [os, arch] of KREW_PLATFORMS) {
    const matching = platforms.flatMap((p, i) => (selects(p, os, arch) ? [i] : []));
    if (matching.length > 1) problems.push(`platforms ${matching} overlap on ${os}/${arch}`);
  }
  return problems;
}
