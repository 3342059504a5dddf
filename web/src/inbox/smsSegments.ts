// How many SMS parts a text takes, as a phone network counts them: GSM-7 (7-bit, 160 characters
// alone, 153 per part once split) when every character is in the GSM 03.38 alphabet, else UCS-2
// (70 alone, 67 per part). A part's header takes the difference; an escape pair (the extension
// characters) or a surrogate pair (emoji) is never split across two parts.

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** Sent as ESC + a character: two septets each. */
const GSM_EXTENSION = "^{}\\[~]|€\f";

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** Parts the text is sent as; 0 for an empty text. */
  parts: number;
  /** Units one part holds: 160 or 70 alone, 153 or 67 once split. */
  perPart: number;
  /** Units left in the last part before another one starts. */
  left: number;
}

const LIMITS: Record<SmsEncoding, { single: number; split: number }> = {
  "GSM-7": { single: 160, split: 153 },
  "UCS-2": { single: 70, split: 67 },
};

export function smsSegments(text: string): SmsSegments {
  const characters = Array.from(text); // code points: a surrogate pair stays whole
  const gsm = characters.every((c) => BASIC.has(c) || EXTENSION.has(c));
  const encoding: SmsEncoding = gsm ? "GSM-7" : "UCS-2";
  const sizes = characters.map((c) => (gsm ? (EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const { single, split } = LIMITS[encoding];
  if (units === 0) return { encoding, units, parts: 0, perPart: single, left: single };
  if (units <= single) return { encoding, units, parts: 1, perPart: single, left: single - units };
  // Filled part by part: a character that does not fit whole starts the next part.
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > split) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, parts, perPart: split, left: split - used };
}
