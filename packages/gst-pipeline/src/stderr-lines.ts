/** Splits a stream of stderr chunks into whole lines, keeping a partial last line until the next chunk. */
export class StderrLines {
  private partial = '';

  /** Returns the whole lines that `chunk` completes, without their newline. */
  push(chunk: Buffer | string): string[] {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';

    return lines;
  }
}
