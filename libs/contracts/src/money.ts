/**
 * ISO 4217 minor-unit exponents that are not 2. Amounts travel as integer minor units; a rule
 * stated in whole currency units (loyalty points, tier thresholds) divides by 10^exponent.
 */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3, CLF: 4, UYW: 4,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** Whole currency units in an amount of minor units, rounded down (toward zero). */
export function wholeUnits(minorUnits: number, currency: string): number {
  return Math.trunc(minorUnits / 10 ** currencyExponent(currency));
}

/** Minor units of a whole-unit amount (thresholds stated in currency units). */
export function minorUnitsOf(wholeUnits: number, currency: string): number {
  return wholeUnits * 10 ** currencyExponent(currency);
}
