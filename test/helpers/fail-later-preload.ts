// Preloaded into the real CLI by tests (`node --import`): once the command first writes to
// stdout (so its options are parsed, and the TUI has the terminal), a timer throws
// (NETPOL_TEST_FAIL=throw) or rejects a promise nobody awaits (=reject): failures no command
// can catch. Nothing in src/ knows of it.
const failure = process.env.NETPOL_TEST_FAIL;
const write = process.stdout.write.bind(process.stdout);
let armed = failure !== undefined;

process.stdout.write = ((...args: Parameters<typeof write>) => {
  if (armed) {
    armed = false;
    // Made here, its stack goes through the program's frames that write.
    const error = new TypeError('the test broke\nthis on purpose');
    setTimeout(() => {
      if (failure === 'reject') Promise.reject(error);
      else throw error;
    }, 50);
  }
  return write(...args);
}) as typeof process.stdout.write;
