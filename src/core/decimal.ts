// A number as people type one in a setting or an option: decimal only. Number() also reads "0x10", "0b11", "0o7",
// "Infinity" and "" (as 0), which nobody means as a length, a size or a count.

/** `text` as a decimal number, or NaN. */
export function decimal(text: string): number {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
}
