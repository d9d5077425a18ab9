import { Text } from 'ink';
import { useEffect, useState } from 'react';

/** How often the elapsed time is redrawn while work runs. */
const TICK_MS = 250;

/** Work under way in the background: what it is, and since when (performance.now()). */
export interface Work {
  readonly label: string;
  readonly since: number;
  /** The screen shows the answer about the previous snapshot until this work's comes. */
  readonly showingPrevious?: boolean;
}

/** The longest-running of some work, if any. */
function oldestOf(work: readonly Work[]): Work | undefined {
  return work.reduce<Work | undefined>(
    (first, item) => (first && first.since <= item.since ? first : item),
    undefined,
  );
}

/**
 * "auditing… 1.2 s": the longest-running background work, its time counting up; work whose
 * screen meanwhile shows the previous snapshot's answer comes first, and says so. Only this line
 * redraws as it counts.
 */
export function ProgressLine({ work }: { readonly work: readonly Work[] }) {
  const [now, setNow] = useState(() => performance.now());
  const oldest = oldestOf(work.filter((item) => item.showingPrevious)) ?? oldestOf(work);
  const working = oldest !== undefined;
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => setNow(performance.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [working]);
  if (!oldest) return <Text> </Text>;
  const seconds = Math.max(0, (Math.max(now, oldest.since) - oldest.since) / 1000);
  const previous = oldest.showingPrevious ? " · shown: the previous snapshot's answer" : '';
  return (
    <Text dimColor wrap="truncate">{`${oldest.label}… ${seconds.toFixed(1)} s${previous}`}</Text>
  );
}
