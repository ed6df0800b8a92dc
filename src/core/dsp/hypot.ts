// Math.hypot for two arguments, as V8 computes it (its MathHypot builtin, src/builtins/math.tq): the largest
// magnitude scaled out, the two squares added with Kahan's compensation, the square root scaled back.
// The same operations in the same order give the same bits (test/core/dsp/hypot.test.ts compares millions of
// pairs, specials included), without the builtin's call through its rest arguments and the array it
// allocates per call (~35 ns and 48 bytes each; the formants call it for every root of every voiced frame).

export function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  // An infinite argument wins over a NaN; then NaN; then all zeros.
  if (ax === Infinity || ay === Infinity) return Infinity;
  if (ax !== ax || ay !== ay) return NaN;
  const max = ax > ay ? ax : ay;
  if (max === 0) return 0;
  const a = ax / max;
  const b = ay / max;
  // Kahan's compensation after the first square is (a² − 0) − a² = 0 (a is finite), so the builtin's second
  // sum is exactly a² + (b² − 0) = a² + b².
  return Math.sqrt(a * a + b * b) * max;
}
