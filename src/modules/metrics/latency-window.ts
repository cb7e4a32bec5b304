/**
 * The last N latencies in a ring, for the JSON /metrics percentiles; Prometheus gets
 * the full histogram instead.
 */
export class LatencyWindow {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size = 4096) {
    this.values = new Float64Array(size);
  }

  add(ms: number): void {
    this.values[this.next] = ms;
    this.next = (this.next + 1) % this.values.length;
    if (this.filled < this.values.length) this.filled++;
  }

  percentiles(): { p50: number; p95: number; p99: number; samples: number } {
    if (this.filled === 0) return { p50: 0, p95: 0, p99: 0, samples: 0 };
    const sorted = Array.from(this.values.subarray(0, this.filled)).sort((a, b) => a - b);
    const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), samples: this.filled };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
