// Numeric command-line options, validated: finite, in range, and the whole string a number ("1e400", "Infinity", "12abc" are refused).

/** `text` as a finite number in [min, max], or a RangeError naming the option. */
export function finite(name: string, text: string, min: number, max: number): number {
  const v = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v) || v < min || v > max) throw new RangeError(`${name} must be a number from ${min} to ${max} (got ${JSON.stringify(text)}).`);
  return v;
}

/** `text` as an integer in [min, max]. */
export function positiveInt(name: string, text: string, max: number, min = 1): number {
  const v = finite(name, text, min, max);
  if (!Number.isInteger(v)) throw new RangeError(`${name} must be a whole number (got ${JSON.stringify(text)}).`);
  return v;
}
