// htmlparser2's tokenizer with its long scans done by String.prototype.indexOf. The stock tokenizer looks at every
// character of text and of quoted attribute values in its main loop, one state call each, to find the next `<`
// (or quote) and `&`; and its fast-forward (script, style and comment bodies, the rest of a closing tag) is a
// charCodeAt loop. indexOf finds the same characters several times faster, and the states that act on them run
// exactly as before, so the tokens (and the DOM) are the stock tokenizer's: test/unit/html-tokenizer.test.ts
// compares the two on tricky inputs. Parsing a 170 KB page is about a third of extracting it.
//
// It reaches into fields htmlparser2 marks private (index, buffer, offset): the package is pinned to one major
// version and the test above fails when they change.
import { Tokenizer } from 'htmlparser2';

const LT = 0x3c;
const AMP = 0x26;

/** The parts of htmlparser2's Tokenizer this subclass reads and overrides (private in its typings). */
interface TokenizerInternals {
  buffer: string;
  index: number;
  offset: number;
  decodeEntities: boolean;
  fastForwardTo(c: number): boolean;
  stateText(c: number): void;
  handleInAttributeValue(c: number, quote: number): void;
  reset(): void;
}

const StockTokenizer = Tokenizer as unknown as new (
  ...args: ConstructorParameters<typeof Tokenizer>
) => TokenizerInternals;

class IndexOfTokenizer extends StockTokenizer {
  /** Absolute index of the next `&` at or after `ampSearchedFrom`; Infinity when the buffer has none there. */
  private nextAmp = -1;
  private ampSearchedFrom = -1;
  private ampBufferOffset = -1;

  override reset(): void {
    super.reset();
    this.nextAmp = -1;
    this.ampSearchedFrom = -1;
    this.ampBufferOffset = -1;
  }

  /** Same contract as the stock method: index on the next `c` (true), or on the buffer's last character. */
  override fastForwardTo(c: number): boolean {
    const found = this.buffer.indexOf(String.fromCharCode(c), this.index + 1 - this.offset);
    if (found >= 0) {
      this.index = found + this.offset;
      return true;
    }
    this.index = this.buffer.length + this.offset - 1;
    return false;
  }

  override stateText(c: number): void {
    if (c === LT || c === AMP || !this.decodeEntities) super.stateText(c);
    else this.skipBefore(LT);
  }

  override handleInAttributeValue(c: number, quote: number): void {
    if (c === quote || c === AMP || !this.decodeEntities) super.handleInAttributeValue(c, quote);
    else this.skipBefore(quote);
  }

  /**
   * Moves to just before the next `stop` or `&` (the main loop's increment lands on it), or to the buffer's last
   * character: the characters skipped are the ones the state would have passed over one by one.
   */
  private skipBefore(stop: number): void {
    const from = this.index + 1;
    let end = this.buffer.indexOf(String.fromCharCode(stop), from - this.offset);
    end = end < 0 ? this.buffer.length + this.offset : end + this.offset;
    const amp = this.ampAtOrAfter(from);
    this.index = Math.min(amp, end) - 1;
  }

  /** Pages have few `&`s: the last search is kept, so text without one is not rescanned at every `<`. */
  private ampAtOrAfter(from: number): number {
    if (this.ampBufferOffset !== this.offset || from < this.ampSearchedFrom || this.nextAmp < from) {
      const found = this.buffer.indexOf('&', from - this.offset);
      this.nextAmp = found < 0 ? Number.POSITIVE_INFINITY : found + this.offset;
      this.ampSearchedFrom = from;
      this.ampBufferOffset = this.offset;
    }
    return this.nextAmp;
  }
}

/** For htmlparser2's `Tokenizer` option (Parser, parseDocument). */
export const FastTokenizer = IndexOfTokenizer as unknown as typeof Tokenizer;
