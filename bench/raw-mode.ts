import { ReadStream } from 'node:tty';

/**
 * Calls `marked` once, as a terminal of the process first goes raw (tty.ReadStream's
 * setRawMode(true)): until then a key typed is the terminal's to echo and keep, and ctrl-c is a
 * signal that ends the process at once; from then on keys are the program's to read, and wait for
 * the turn of its event loop they come in. For the bench's preloads: the program is not changed.
 */
export function whenRaw(marked: () => void): void {
  const setRawMode = ReadStream.prototype.setRawMode;
  let seen = false;
  ReadStream.prototype.setRawMode = function (this: ReadStream, mode: boolean) {
    if (mode && !seen) {
      seen = true;
      marked();
    }
    return setRawMode.call(this, mode);
  };
}
