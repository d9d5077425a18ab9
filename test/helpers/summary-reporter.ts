import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line "N passed, N failed, N skipped" that CI reads. A failed hook, a
 * file that could not be loaded or an error outside any test counts as a failure: otherwise a
 * beforeAll that fails would leave only skipped tests and read as a clean run.
 */
export default class SummaryReporter implements Reporter {
  private readonly counts = { passed: 0, failed: 0, skipped: 0 };

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed' || state === 'failed' || state === 'skipped') this.counts[state]++;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const { passed, skipped } = this.counts;
    const failed = this.counts.failed + suiteErrorCount(testModules) + unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/** Errors raised outside test cases: in a file's collection, or in a suite's or file's hooks. */
function suiteErrorCount(testModules: ReadonlyArray<TestModule>): number {
  let count = 0;
  for (const testModule of testModules) {
    count += testModule.errors().length;
    for (const suite of testModule.children.allSuites()) count += suite.errors().length;
  }
  return count;
}
