import { describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/io/load-input.js';
import type { CheckAnswer } from '../../src/ui/analyst/questions.js';
import { answerQuestion, loadForQuestions } from '../../src/ui/analyst/questions.js';
import { runCli } from '../helpers/cli.js';

/** tenant-c's pods, which a staged Calico policy of the demo would lock down. */
const WEB = 'tenant-c/web-8d6b7f5c4-hl4zx';
const ANALYTICS = 'tenant-c/analytics-5c7f8d9b6-q9mrt';

describe('staged Calico policies in the TUI', () => {
  it.each([
    ['a flow the staged policy would deny', WEB, ANALYTICS, '80', 'TCP'],
    ['a flow it would keep', WEB, 'kube-system/coredns-5d78c9869d-4xq7m', '53', 'UDP'],
  ] as const)(
    'says what %s would answer, line for line as check does',
    async (_, source, destination, port, protocol) => {
      const loaded = loadForQuestions({ cluster: loadDemo().cluster, options: {} });
      const asked = { source, destination, port, protocol };
      const answer = answerQuestion(loaded, { kind: 'check', asked, namespace: 'tenant-c' });
      const { view } = answer as CheckAnswer;
      const run = await runCli([
        'check',
        source,
        destination,
        '--port',
        port,
        '--protocol',
        protocol,
        '--demo',
      ]);
      expect([...(view.banner ?? []), ...view.lines, '']).toEqual(run.stdout.split('\n'));
      expect(view.lines.at(-1)).toMatch(
        /^if staged policy stagednetworkpolicy\/tenant-c\/default\.tenant-c-lockdown were enforced: (ALLOWED|DENIED)$/,
      );
    },
  );

  it('ends the pod detail with what explain says each staged policy would change', async () => {
    const loaded = loadForQuestions({ cluster: loadDemo().cluster, options: {} });
    const lines = answerQuestion(loaded, { kind: 'pod-exposure', podId: WEB }) as string[];
    const run = await runCli(['explain', WEB, '--demo']);
    // The screen's title says what explain's first line does.
    expect([...lines, '']).toEqual(run.stdout.split('\n').slice(1));
    expect(lines.join('\n')).toContain(
      'if staged policy stagednetworkpolicy/tenant-c/default.tenant-c-lockdown were enforced',
    );
  });
});
