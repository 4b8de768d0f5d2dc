// Money is kept in integer cents so that sums are exact; the API speaks decimal numbers.

export function toCents(value: number): number {
  return Math.round(value * 100);
}

export function fromCents(cents: number): number {
  return Number(cents) / 100;
}
