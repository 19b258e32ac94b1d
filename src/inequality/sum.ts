/**
 * Neumaier-compensated summation. The inequality sums run over up to 10⁸ terms and are compared to the last
 * digit with independent implementations; plain accumulation would lose ~log10(n) digits.
 */
export class CompensatedSum {
  private s = 0;
  private c = 0;

  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }

  get value(): number {
    return this.s + this.c;
  }
}

/** Σ values (compensated). */
export function sumOf(values: ArrayLike<number>): number {
  const acc = new CompensatedSum();
  for (let i = 0; i < values.length; i++) acc.add(values[i]!);
  return acc.value;
}

/** Σ w_i y_i (compensated); weights null = all 1. */
export function weightedSumOf(values: ArrayLike<number>, weights: ArrayLike<number> | null): number {
  if (weights === null) return sumOf(values);
  const acc = new CompensatedSum();
  for (let i = 0; i < values.length; i++) acc.add(values[i]! * weights[i]!);
  return acc.value;
}
