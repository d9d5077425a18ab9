import { readFile } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { nextEventLoopTurn } from '../../src/ui/loading.js';

/**
 * What happens first after an I/O callback (as a file read or a module load ends) yields: an
 * input that came meanwhile (a message between threads, read when the loop polls, as a key is),
 * or the work after the yield.
 */
function orderAfterIoCallback(): Promise<string[]> {
  const order: string[] = [];
  return new Promise((resolve) => {
    readFile(import.meta.filename, async () => {
      const { port1, port2 } = new MessageChannel();
      port2.on('message', (message: string) => {
        if (message === 'key') return void order.push('input');
        port2.close();
        resolve(order);
      });
      port1.postMessage('key');
      await nextEventLoopTurn();
      order.push('work after the yield');
      port1.postMessage('done');
    });
  });
}

describe('yielding the event loop while loading', () => {
  it('reads input that came during the work before the work after the yield, even from an I/O callback', async () => {
    expect(await orderAfterIoCallback()).toEqual(['input', 'work after the yield']);
  });
});
