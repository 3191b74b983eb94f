// Log-linear latency histogram in integer microseconds: exact below 128 µs, then 64 sub-buckets per
// power of two (≤ 1.6% error), up to 2^31 µs. Histograms from several generator processes merge by
// adding counts, so percentiles stay exact across processes.
const SUB = 64;
const LINEAR = 2 * SUB;
const BUCKETS = LINEAR + (31 - 7) * SUB;

export class Histogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.total = 0;
    this.max = 0;
  }

  record(us) {
    let v = us <= 0 ? 0 : Math.ceil(us);
    if (v > 0x7fffffff) v = 0x7fffffff;
    if (v > this.max) this.max = v;
    this.counts[index(v)]++;
    this.total++;
  }

  /** Sparse, JSON-friendly form for IPC. */
  toJSON() {
    const c = {};
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] !== 0) c[i] = this.counts[i];
    return { c, total: this.total, max: this.max };
  }

  merge(json) {
    if (!json) return this;
    for (const [i, n] of Object.entries(json.c)) this.counts[Number(i)] += n;
    this.total += json.total;
    if (json.max > this.max) this.max = json.max;
    return this;
  }

  /** Value in µs at quantile q (0..1); the bucket's upper bound, so it never under-reports. */
  quantile(q) {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(upper(i), this.max);
    }
    return this.max;
  }

  summaryMs() {
    const ms = (v) => (v === null ? null : Math.round(v) / 1000);
    return {
      samples: this.total,
      p50Ms: ms(this.quantile(0.5)),
      p99Ms: ms(this.quantile(0.99)),
      p999Ms: ms(this.quantile(0.999)),
      maxMs: ms(this.total ? this.max : null),
    };
  }
}

function index(v) {
  if (v < LINEAR) return v;
  const e = 31 - Math.clz32(v); // >= 7
  const shift = e - 6;
  return LINEAR + (e - 7) * SUB + ((v >>> shift) - SUB);
}

function upper(i) {
  if (i < LINEAR) return i;
  const e = Math.floor((i - LINEAR) / SUB) + 7;
  const sub = ((i - LINEAR) % SUB) + SUB;
  const shift = e - 6;
  return (sub + 1) * 2 ** shift - 1;
}
