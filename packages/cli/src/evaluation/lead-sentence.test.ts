import { describe, expect, it } from "vitest";
import { leadSentence } from "./lead-sentence.js";

describe("leadSentence", () => {
  it("is the text up to the first sentence end before a capital, digit or quote", () => {
    expect(leadSentence("We propose X. It works well. Really.")).toBe("We propose X.");
    expect(leadSentence('Is it good? "Yes," they said.')).toBe("Is it good?");
    expect(leadSentence("Accuracy rose to 3.5 points (Table 2). 2 more tests.")).toBe("Accuracy rose to 3.5 points (Table 2).");
    expect(leadSentence("Results (see Fig. 3) hold. Next.")).toBe("Results (see Fig. 3) hold.");
    expect(leadSentence("As in Smith et al. The model is new. Next.")).toBe("As in Smith et al. The model is new.");
    expect(leadSentence("no end here")).toBe("no end here");
    expect(leadSentence("  a b. c d. E f.  ")).toBe("a b. c d.");
  });
});
