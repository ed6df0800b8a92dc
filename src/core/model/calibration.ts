// Calibrated confidence: temperature scaling of the blended probabilities (with offsets for rare classes), or the
// members' log pool fitted the same way (fitLogPool), on out-of-fold predictions, so that "70 % confident" is right
// about 70 % of the time.

export interface Calibration {
  /** p_c ∝ (p_c + eps)^(1/temperature); T < 1 sharpens, T > 1 softens. */
  temperature: number;
  /** Floor that keeps a class no tree voted for from getting exactly zero. */
  eps: number;
  /**
   * Per-class offsets added in log space after the temperature (absent: none), fitted only for the classes
   * rareClasses() finds. Balanced class weights make every member score a rare class as if it were as common
   * as the others, and a single temperature cannot undo that for one class: on three corpora *surprised*
   * (RAVDESS only, 3.6 % of the clips) was answered ~1.35× as often as it was true, 11 points over-confident.
   */
  offsets?: number[];
}

export const IDENTITY_CALIBRATION: Calibration = { temperature: 1, eps: 0 };

export function calibrate(p: ArrayLike<number>, cal: Calibration): Float64Array {
  const out = new Float64Array(p.length);
  const offsets = cal.offsets;
  let sum = 0;
  for (let c = 0; c < p.length; c++) {
    out[c] = Math.pow(p[c] + cal.eps, 1 / cal.temperature);
    if (offsets) out[c] *= Math.exp(offsets[c]);
    sum += out[c];
  }
  for (let c = 0; c < p.length; c++) out[c] = sum > 0 ? out[c] / sum : 1 / p.length;
  return out;
}

const LOG_FLOOR = Math.log(1e-12);

/** log(p + eps) of every row, row-major: both fits take the logs once. */
function logsOf(probs: readonly ArrayLike<number>[], k: number, eps: number): Float64Array {
  const logs = new Float64Array(probs.length * k);
  probs.forEach((p, i) => { for (let c = 0; c < k; c++) logs[i * k + c] = Math.log(p[c] + eps); });
  return logs;
}

/**
 * Mean negative log-likelihood of calibrate(p, {temperature: T, eps}) as a function of b = 1/T, with
 * its first two derivatives: pow(p + eps, b) = exp(b·log(p + eps)), normalised in log space. In b it is a
 * log-sum-exp of lines minus a line: convex, so Newton's method finds its minimum in a few passes (a
 * golden-section search took 32). poolObjective() of one source, with no offsets.
 */
function nllOfInverseTemperature(probs: readonly ArrayLike<number>[], y: readonly number[], eps: number): (b: number) => { f: number; df: number; d2f: number } {
  const k = probs.length ? probs[0].length : 0;
  const logs = logsOf(probs, k, eps);
  const none = new Int32Array(k).fill(-1);
  return (b) => {
    const { f, gradient, hessian } = poolObjective([logs], y, k, none, Float64Array.of(b), true);
    return { f, df: gradient[0], d2f: hessian[0] };
  };
}

/** Temperatures searched: T in [0.05, 5], i.e. b = 1/T in [0.2, 20]. */
const B_MIN = 0.2, B_MAX = 20;

/**
 * The b in [B_MIN, B_MAX] with the lowest NLL: Newton steps from b = 1, kept inside a bracket that
 * the sign of the derivative shrinks (a bisection when a step would leave it), to 1e-10 in b.
 */
function minimiseInBracket(nll: (b: number) => { f: number; df: number; d2f: number }): number {
  let lo = B_MIN, hi = B_MAX, b = 1;
  for (let it = 0; it < 100; it++) {
    const { df, d2f } = nll(b);
    if (df > 0) hi = b; else lo = b;
    if (df === 0 || hi - lo < 1e-10) break;
    let next = d2f > 0 ? b - df / d2f : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - b) < 1e-10 * b) { b = next; break; }
    b = next;
  }
  return b;
}

/** Minimises negative log-likelihood over a small eps grid × the temperature (Newton's method on 1/T). */
export function fitCalibration(probs: readonly ArrayLike<number>[], y: readonly number[]): Calibration {
  let best: Calibration = IDENTITY_CALIBRATION;
  let bestLoss = Infinity;
  for (const eps of [0, 1e-4, 0.001, 0.003, 0.01, 0.03]) {
    const nll = nllOfInverseTemperature(probs, y, eps);
    const b = minimiseInBracket(nll);
    const loss = nll(b).f;
    if (loss < bestLoss) { bestLoss = loss; best = { temperature: 1 / b, eps }; }
  }
  return best;
}

/** A class whose share of the labels is under half an even share (1 / 2k) but not zero gets an offset. */
const RARE_SHARE = 0.5;

/** The classes present in `y` at under RARE_SHARE of an even share, ascending. */
export function rareClasses(y: readonly number[], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const c of y) counts[c]++;
  const limit = (RARE_SHARE * y.length) / k;
  return counts.flatMap((n, c) => (n > 0 && n < limit ? [c] : []));
}

/**
 * `cal` with its temperature refitted jointly with a log-space offset for each class in `rare` (eps kept):
 * the log-loss of softmax(b·log(p + eps) + offset) is convex in (b, offsets), a multinomial logistic
 * regression on those features, so damped Newton steps from (1/T, 0) find its minimum. `rare` empty: `cal`.
 */
export function fitOffsets(probs: readonly ArrayLike<number>[], y: readonly number[], cal: Calibration, rare: readonly number[]): Calibration {
  if (!rare.length || !probs.length) return cal;
  const k = probs[0].length;
  const { weights, offsets } = fitScaledLogs([logsOf(probs, k, cal.eps)], y, k, rare, Float64Array.of(1 / cal.temperature), B_MIN);
  return { temperature: 1 / weights[0], eps: cal.eps, offsets };
}

/** A log pool of members: softmax(Σ_j weights_j·log(p_j + eps) + offsets), the offsets on the rare classes only. */
export interface LogPoolFit {
  weights: number[];
  offsets: number[];
  /** Its mean log-loss on the rows it was fitted on. */
  loss: number;
}

/**
 * The log pool of `members` (each member's probabilities for the same rows) that best predicts `y`: one
 * weight ≥ 0 per member and an offset per rare class, jointly. The log-loss is convex in them (the
 * temperature fit with one weight per member's logs), so projected Newton steps from equal weights find its
 * minimum; a member whose weight reaches 0 and would go on down is held there.
 */
export function fitLogPool(members: readonly (readonly ArrayLike<number>[])[], y: readonly number[], eps: number, rare: readonly number[]): LogPoolFit {
  const k = members[0]?.[0]?.length ?? 0;
  const logs = members.map((probs) => logsOf(probs, k, eps));
  const { weights, offsets, loss } = fitScaledLogs(logs, y, k, rare, new Float64Array(members.length).fill(1 / members.length), 0);
  return { weights: Array.from(weights), offsets, loss };
}

/**
 * The weights (one per block of `logs`, in [lower, B_MAX]) and rare-class offsets minimising poolObjective,
 * by damped Newton steps from (`start`, 0). A weight at `lower` whose gradient points further down is held
 * there for that step (with none held, the step is the plain Newton step: the temperature fits are unchanged).
 */
function fitScaledLogs(logs: readonly Float64Array[], y: readonly number[], k: number, rare: readonly number[], start: Float64Array, lower: number): { weights: Float64Array; offsets: number[]; loss: number } {
  const M = logs.length, m = M + rare.length;
  const slot = new Int32Array(k).fill(-1);
  rare.forEach((c, j) => { slot[c] = M + j; });
  const theta = new Float64Array(m);
  theta.set(start);
  const objective = (t: Float64Array, withDerivatives: boolean) => poolObjective(logs, y, k, slot, t, withDerivatives);
  let current = objective(theta, true);
  for (let it = 0; it < 50; it++) {
    const held = Array.from({ length: M }, (_, j) => theta[j] <= lower && current.gradient[j] > 0);
    const step = held.some(Boolean) ? solveFree(current.hessian, current.gradient, m, held) : solve(current.hessian, current.gradient, m);
    let scale = 1, next = theta, trial = current;
    for (; scale > 1e-6; scale /= 2) {
      next = theta.map((v, j) => v - scale * step[j]);
      for (let j = 0; j < M; j++) next[j] = Math.min(B_MAX, Math.max(lower, next[j]));
      trial = objective(next, false);
      if (trial.f <= current.f) break;
    }
    if (!(trial.f <= current.f)) break;
    const moved = Math.max(...next.map((v, j) => Math.abs(v - theta[j])));
    theta.set(next);
    current = objective(theta, true);
    if (moved < 1e-10) break;
  }
  const offsets = new Array<number>(k).fill(0);
  rare.forEach((c, j) => { offsets[c] = theta[M + j]; });
  return { weights: theta.subarray(0, M), offsets, loss: current.f };
}

/** The Newton step with the `held` weights' rows and columns taken out (their step 0). */
function solveFree(h: Float64Array, g: Float64Array, m: number, held: readonly boolean[]): Float64Array {
  const free = Array.from({ length: m }, (_, j) => j).filter((j) => !held[j]);
  const f = free.length;
  const sub = new Float64Array(f * f), rhs = new Float64Array(f);
  free.forEach((a, i) => { rhs[i] = g[a]; free.forEach((b, j) => { sub[i * f + j] = h[a * m + b]; }); });
  const x = solve(sub, rhs, f), step = new Float64Array(m);
  free.forEach((a, i) => { step[a] = x[i]; });
  return step;
}

/**
 * Mean NLL of softmax(Σ_j t_j·logs_j + offsets) and, when asked, its gradient and Hessian in (t_0…t_{M−1}, the
 * rare classes' offsets); `slot[c]` is class c's offset's place in `t` (−1: none). With one block of logs t_0 is
 * the inverse temperature. Each row's moments are summed over the classes, then divided by their normaliser,
 * then added: the order the temperature fit has always used.
 */
function poolObjective(logs: readonly Float64Array[], y: readonly number[], k: number, slot: Int32Array, t: Float64Array, withDerivatives: boolean) {
  const M = logs.length, m = t.length, n = Math.max(1, y.length);
  const off = new Float64Array(k);
  for (let c = 0; c < k; c++) if (slot[c] >= M) off[c] = t[slot[c]];
  const gradient = new Float64Array(m), hessian = new Float64Array(m * m);
  const e = new Float64Array(k), z = new Float64Array(k), mean = new Float64Array(m), second = new Float64Array(m * m);
  let f = 0;
  for (let i = 0; i < y.length; i++) {
    const at = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let v = 0;
      for (let j = 0; j < M; j++) v += logs[j][at + c] * t[j];
      z[c] = v + off[c];
      max = Math.max(max, z[c]);
    }
    if (max === -Infinity) { f += Math.log(k); continue; } // all zero: calibrate() answers uniform
    // Softmax weights of the classes (a class some member gives p + eps = 0 gets weight 0 at every t, and is left out).
    let sum = 0;
    for (let c = 0; c < k; c++) {
      let impossible = false;
      for (let j = 0; j < M; j++) if (logs[j][at + c] === -Infinity) impossible = true;
      e[c] = impossible ? 0 : Math.exp(z[c] - max);
      sum += e[c];
    }
    const logP = z[y[i]] - max - Math.log(sum);
    if (logP < LOG_FLOOR) { f -= LOG_FLOOR; continue; } // floored: flat in every parameter
    f -= logP;
    if (!withDerivatives) continue;
    // Features of class c: (each block's log p_c, one-hot over the rare slots). Gradient E_q[φ] − φ_y, Hessian Cov_q[φ].
    mean.fill(0);
    second.fill(0);
    for (let c = 0; c < k; c++) {
      if (e[c] === 0) continue;
      const s = slot[c];
      for (let j = 0; j < M; j++) {
        const l = logs[j][at + c];
        mean[j] += e[c] * l;
        for (let j2 = j; j2 < M; j2++) second[j * m + j2] += e[c] * l * logs[j2][at + c];
        if (s >= M) second[j * m + s] += e[c] * l;
      }
      if (s >= M) { mean[s] += e[c]; second[s * m + s] += e[c]; }
    }
    for (let a = 0; a < m; a++) mean[a] /= sum;
    for (let a = 0; a < m; a++) for (let c = a; c < m; c++) {
      const cov = second[a * m + c] / sum - mean[a] * mean[c];
      hessian[a * m + c] += cov;
      if (c !== a) hessian[c * m + a] += cov;
    }
    for (let j = 0; j < M; j++) gradient[j] += mean[j] - logs[j][at + y[i]];
    for (let j = M; j < m; j++) gradient[j] += mean[j];
    if (slot[y[i]] >= M) gradient[slot[y[i]]] -= 1;
  }
  for (let j = 0; j < m * m; j++) hessian[j] /= n;
  for (let j = 0; j < m; j++) gradient[j] /= n;
  return { f: f / n, gradient, hessian };
}

/** x with H·x = g, by Gaussian elimination with partial pivoting (m ≤ 8); a tiny ridge keeps a flat direction finite. */
function solve(h: Float64Array, g: Float64Array, m: number): Float64Array {
  const a = Float64Array.from(h), x = Float64Array.from(g);
  for (let j = 0; j < m; j++) a[j * m + j] += 1e-12;
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r * m + col]) > Math.abs(a[pivot * m + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < m; c++) [a[col * m + c], a[pivot * m + c]] = [a[pivot * m + c], a[col * m + c]];
      [x[col], x[pivot]] = [x[pivot], x[col]];
    }
    const d = a[col * m + col] || 1e-300;
    for (let r = col + 1; r < m; r++) {
      const f = a[r * m + col] / d;
      if (f === 0) continue;
      for (let c = col; c < m; c++) a[r * m + c] -= f * a[col * m + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let v = x[r];
    for (let c = r + 1; c < m; c++) v -= a[r * m + c] * x[c];
    x[r] = v / (a[r * m + r] || 1e-300);
  }
  return x;
}
