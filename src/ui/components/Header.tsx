import { Box, Text } from 'ink';
import type { EnforcementBadge } from '../../render/enforcement.js';
import { terminalLine } from '../../render/terminal-text.js';

/** Props of Header. */
export interface HeaderProps {
  readonly source: string;
  readonly namespace: string | undefined;
  readonly counts: {
    readonly namespaces: number;
    readonly pods: number;
    readonly policies: number;
    /** Cilium and Calico policies (staged ones left out), shown only when there are some. */
    readonly ciliumPolicies?: number;
    readonly calicoPolicies?: number;
  };
  readonly updated: string;
  readonly title: string;
  readonly color: boolean;
  /** Warnings about the snapshot itself (partial, unmodelled policies), shown first. */
  readonly badges?: readonly string[];
  /** Whether the network plugin enforces the policies, when that is not plainly so: shown first. */
  readonly enforcement?: EnforcementBadge | undefined;
}

/** `20 netpol`, then ` · 5 cilium` and ` · 2 calico` where such policies exist. */
function policyCounts(counts: HeaderProps['counts']): string {
  const plugins = [
    [counts.ciliumPolicies ?? 0, 'cilium'],
    [counts.calicoPolicies ?? 0, 'calico'],
  ] as const;
  return [
    `${counts.policies} netpol`,
    ...plugins.flatMap(([n, name]) => (n > 0 ? [`${n} ${name}`] : [])),
  ].join(' · ');
}

/**
 * The top lines: where the data comes from, what is selected, how much there is, how fresh;
 * names in them are shown with their control characters escaped. Warning badges come right
 * after the program name, so that a narrow terminal cuts the counts rather than them; the
 * quiet "plugin unknown" badge comes last, so that it never hides the counts.
 */
export function Header({
  source,
  namespace,
  counts,
  updated,
  title,
  color,
  badges = [],
  enforcement,
}: HeaderProps) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color={color ? 'cyan' : undefined}>
          kubectl netpol
        </Text>
        {enforcement?.tone === 'alarm' && (
          <Text bold inverse={!color} color={color ? 'red' : undefined}>
            {`  [${enforcement.text}]`}
          </Text>
        )}
        {badges.map((badge) => (
          <Text key={badge} bold inverse={!color} color={color ? 'yellow' : undefined}>
            {`  [${badge}]`}
          </Text>
        ))}
        {terminalLine(
          `  ${updated}  ${source}  ns: ${namespace ?? 'all'}  ${counts.namespaces} ns, ${counts.pods} pods, ${policyCounts(counts)}`,
        )}
        {enforcement?.tone === 'quiet' && <Text dimColor={color}>{`  [${enforcement.text}]`}</Text>}
      </Text>
      <Text bold wrap="truncate">
        {terminalLine(title)}
      </Text>
    </Box>
  );
}
