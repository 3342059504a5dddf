import { describe, expect, it } from "vitest";
import { smsSegments } from "./smsSegments";

describe("smsSegments", () => {
  it("counts an empty text as no part", () => {
    expect(smsSegments("")).toEqual({ encoding: "GSM-7", units: 0, parts: 0, perPart: 160, left: 160 });
  });

  it("fits 160 GSM-7 characters in one part and splits 161 into two of 153", () => {
    expect(smsSegments("a".repeat(160))).toMatchObject({ encoding: "GSM-7", parts: 1, left: 0 });
    expect(smsSegments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, parts: 2, perPart: 153, left: 145 });
    expect(smsSegments("a".repeat(306)).parts).toBe(2);
    expect(smsSegments("a".repeat(307)).parts).toBe(3);
  });

  it("keeps French accents of the GSM alphabet in GSM-7", () => {
    expect(smsSegments("Vous êtes prêt ?").encoding).toBe("UCS-2"); // ê is not in the alphabet
    expect(smsSegments("À bientôt").encoding).toBe("UCS-2");
    expect(smsSegments("Déjà livré à Orléans, où ça ?").encoding).toBe("UCS-2"); // ç lower case is not
    expect(smsSegments("Déjà livré à Orléans").encoding).toBe("GSM-7");
  });

  it("counts the extension characters twice", () => {
    for (const character of ["€", "[", "]", "{", "}", "\\", "^", "~", "|"]) {
      expect(smsSegments(character)).toMatchObject({ encoding: "GSM-7", units: 2 });
    }
    expect(smsSegments("€".repeat(80))).toMatchObject({ units: 160, parts: 1 });
    expect(smsSegments("€".repeat(80) + "a")).toMatchObject({ units: 161, parts: 2 });
  });

  it("never splits an escape pair across two parts", () => {
    // 152 septets, then € (2): it does not fit in the first part's 153, so it starts the second.
    const text = "a".repeat(152) + "€" + "a".repeat(10);
    expect(smsSegments(text)).toMatchObject({ units: 164, parts: 2, left: 153 - 12 });
  });

  it("switches to UCS-2 for any other character: 70 alone, 67 per part", () => {
    expect(smsSegments("Привет")).toMatchObject({ encoding: "UCS-2", units: 6, parts: 1, left: 64 });
    expect(smsSegments("ж".repeat(70)).parts).toBe(1);
    expect(smsSegments("ж".repeat(71))).toMatchObject({ parts: 2, perPart: 67 });
    expect(smsSegments("ж".repeat(134)).parts).toBe(2);
    expect(smsSegments("ж".repeat(135)).parts).toBe(3);
  });

  it("counts an emoji as two UCS-2 units and never splits it", () => {
    expect(smsSegments("ok 👍")).toMatchObject({ encoding: "UCS-2", units: 5 });
    const text = "ж".repeat(66) + "👍" + "ж".repeat(10);
    expect(smsSegments(text)).toMatchObject({ units: 78, parts: 2, left: 67 - 12 });
  });
});
