import { describe, expect, it } from 'vitest';
import { compileCluster } from '../../src/engine/index.js';
import { loadDemo } from '../../src/io/load-input.js';
import { checkView } from '../../src/ui/check-view.js';
import type { CheckForm } from '../../src/ui/state.js';

const demo = compileCluster(loadDemo().cluster);

function asked(source: string, destination: string, port: string): CheckForm {
  const question = { source, destination, port, protocol: 'TCP' as const };
  return { ...question, focus: 'result', submitted: 1, asked: question };
}

describe('checkView', () => {
  it('says why a port is no port without naming a command-line flag', () => {
    expect(checkView(demo, asked('svc/api', 'svc/api', '99999'), 'production')).toEqual({
      allowed: undefined,
      lines: ['error: port 99999: must be between 1 and 65535'],
    });
  });

  it('says which target names nothing', () => {
    expect(checkView(demo, asked('svc/nope', 'svc/api', '80'), 'production').lines).toEqual([
      'error: svc/nope: no service production/nope in the input',
    ]);
  });
});
