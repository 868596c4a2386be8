/**
 * Plain-TypeScript learners for the relevance model: L2-regularised logistic regression by full-batch
 * Nesterov gradient descent (deterministic: zero initialisation, fixed step, fixed iteration count), Platt
 * scaling for calibration, and the F-beta threshold search.
 */

/** Sparse rows (CSR) plus a dense block per row. */
export interface Design {
  rows: number;
  /** Number of sparse columns. */
  sparseDim: number;
  /** Number of dense columns. */
  denseDim: number;
  /** CSR row pointers into idx/val (length rows + 1). */
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  /** rows x denseDim, row-major. */
  dense: Float64Array;
}

export interface LogisticOptions {
  /** L2 strength on the sparse (n-gram) weights. */
  l2Sparse: number;
  /** L2 strength on the dense (lexicon, actor, anchor) weights. */
  l2Dense: number;
  iterations: number;
  step: number;
  /** Per-example weights (class balance); default 1. */
  sampleWeight?: Float64Array;
}

export interface LogisticWeights {
  sparse: Float64Array;
  dense: Float64Array;
  bias: number;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Raw margin of row r under weights w. */
export function margin(d: Design, w: LogisticWeights, r: number): number {
  let z = w.bias;
  for (let k = d.ptr[r]; k < d.ptr[r + 1]; k++) z += w.sparse[d.idx[k]] * d.val[k];
  const base = r * d.denseDim;
  for (let j = 0; j < d.denseDim; j++) z += w.dense[j] * d.dense[base + j];
  return z;
}

/** Fits logistic regression with L2 by Nesterov-accelerated gradient descent. Deterministic. */
export function fitLogistic(d: Design, y: Uint8Array, opt: LogisticOptions): LogisticWeights {
  const S = d.sparseDim;
  const D = d.denseDim;
  const P = S + D + 1; // parameters: sparse, dense, bias (last)
  const x = new Float64Array(P); // current iterate
  const prev = new Float64Array(P);
  const look = new Float64Array(P); // look-ahead point
  const grad = new Float64Array(P);
  const sw = opt.sampleWeight;
  let total = 0;
  for (let r = 0; r < d.rows; r++) total += sw ? sw[r] : 1;
  const view = (p: Float64Array): LogisticWeights => ({
    sparse: p.subarray(0, S),
    dense: p.subarray(S, S + D),
    bias: p[P - 1],
  });
  let t = 1;
  for (let it = 0; it < opt.iterations; it++) {
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const mom = (t - 1) / tNext;
    for (let i = 0; i < P; i++) look[i] = x[i] + mom * (x[i] - prev[i]);
    grad.fill(0);
    const w = view(look);
    for (let r = 0; r < d.rows; r++) {
      const g = ((sigmoid(margin(d, w, r)) - y[r]) * (sw ? sw[r] : 1)) / total;
      for (let k = d.ptr[r]; k < d.ptr[r + 1]; k++) grad[d.idx[k]] += g * d.val[k];
      const base = r * D;
      for (let j = 0; j < D; j++) grad[S + j] += g * d.dense[base + j];
      grad[P - 1] += g;
    }
    for (let i = 0; i < S; i++) grad[i] += opt.l2Sparse * look[i];
    for (let j = 0; j < D; j++) grad[S + j] += opt.l2Dense * look[S + j];
    prev.set(x);
    for (let i = 0; i < P; i++) x[i] = look[i] - opt.step * grad[i];
    t = tNext;
  }
  const out = view(x);
  return { sparse: Float64Array.from(out.sparse), dense: Float64Array.from(out.dense), bias: out.bias };
}

/**
 * Platt scaling: p = 1 / (1 + exp(-(a*m + b))), fitted by Newton's method on out-of-fold margins with
 * Platt's smoothed targets so that a perfectly separated fold does not push the slope to infinity.
 */
export function fitPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>): { a: number; b: number } {
  const n = margins.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i];
  const neg = n - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let g1 = 0, g2 = 0, h11 = 1e-9, h22 = 1e-9, h12 = 0;
    for (let i = 0; i < n; i++) {
      const t = labels[i] ? hi : lo;
      const p = sigmoid(a * margins[i] + b);
      const d = p - t;
      const s = p * (1 - p);
      g1 += d * margins[i];
      g2 += d;
      h11 += s * margins[i] * margins[i];
      h22 += s;
      h12 += s * margins[i];
    }
    const det = h11 * h22 - h12 * h12;
    if (Math.abs(det) < 1e-12) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export function platt(m: number, c: { a: number; b: number }): number {
  return sigmoid(c.a * m + c.b);
}

/**
 * The threshold (one of the scores) that maximises F-beta over labelled scores; ties go to the higher
 * threshold, since precision comes first.
 */
export function bestThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, beta: number): { threshold: number; f: number; precision: number; recall: number } {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const b2 = beta * beta;
  let tp = 0;
  let fp = 0;
  let best = { threshold: 1, f: 0, precision: 1, recall: 0 };
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i]) tp++;
    else fp++;
    // only cut between distinct scores
    if (k + 1 < order.length && scores[order[k + 1]] === scores[i]) continue;
    const precision = tp / (tp + fp);
    const recall = positives ? tp / positives : 0;
    const f = precision + recall > 0 ? ((1 + b2) * precision * recall) / (b2 * precision + recall) : 0;
    if (f > best.f + 1e-12) best = { threshold: scores[i], f, precision, recall };
  }
  return best;
}
