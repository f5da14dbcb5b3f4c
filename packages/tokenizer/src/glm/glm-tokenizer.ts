// A GLM tokenizer: a text model plus GLM's command tokens, with the original's encode/decode
// conventions (whitespace-only input gives no ids; command strings cut out first; BERT decodes
// by joining pieces with spaces, GPT-2 and SentencePiece by concatenation).
import { GlmjsError } from "@glmjs/common";
import type { CommandToken, Encoding, SpecialIds, TextModel, Tokenizer } from "../types.js";
import { isPyBlank } from "../text/unicode.js";
import { joinWordPieces } from "../wordpiece/wordpiece-model.js";
import type { GlmFamily } from "./command-tokens.js";
import { padVocabSize, specialIds } from "./command-tokens.js";
import { splitOnCommands } from "./split-on-commands.js";

export interface GLMTokenizerInit {
  model: TextModel;
  family: GlmFamily;
  commandTokens: CommandToken[];
  numTokens: number;
  /** Serialises this tokenizer to a tokenizer.json document (set by io/build.ts, written by io/to-tokenizer-json.ts). */
  toJSON: (t: GLMTokenizer) => unknown;
}

export class GLMTokenizer implements Tokenizer {
  readonly model: TextModel;
  readonly family: GlmFamily;
  readonly commandTokens: readonly CommandToken[];
  readonly special: SpecialIds;
  readonly vocabSize: number;
  readonly paddedVocabSize: number;
  private readonly byId = new Map<number, CommandToken>();
  private readonly byToken = new Map<string, CommandToken>();
  private readonly serialize: (t: GLMTokenizer) => unknown;

  constructor(init: GLMTokenizerInit) {
    this.model = init.model;
    this.family = init.family;
    this.commandTokens = init.commandTokens;
    for (const c of init.commandTokens) {
      this.byId.set(c.id, c);
      this.byToken.set(c.token, c);
    }
    this.special = specialIds(init.commandTokens);
    this.vocabSize = init.numTokens;
    this.paddedVocabSize = padVocabSize(init.numTokens);
    this.serialize = init.toJSON;
  }

  get kind(): TextModel["kind"] {
    return this.model.kind;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    this.encodeInto(text, ids, null);
    return ids;
  }

  encodeWithOffsets(text: string): Encoding {
    const ids: number[] = [];
    const offsets: [number, number][] = [];
    this.encodeInto(text, ids, offsets);
    return { ids, offsets };
  }

  encodeBatch(texts: readonly string[]): number[][] {
    return texts.map((t) => this.encode(t));
  }

  private encodeInto(text: string, ids: number[], offsets: [number, number][] | null): void {
    if (typeof text !== "string") throw new GlmjsError("INPUT_INVALID", `encode expects a string, got ${typeof text}`);
    if (isPyBlank(text, 0, text.length)) return;
    for (const seg of splitOnCommands(text, this.commandTokens)) {
      if (seg.command) {
        ids.push(seg.command.id);
        if (offsets) offsets.push([seg.start, seg.end]);
      } else this.model.encodeRange(text, seg.start, seg.end, ids, offsets);
    }
  }

  decode(ids: readonly number[]): string {
    for (const id of ids) {
      if (!Number.isInteger(id) || (!this.byId.has(id) && this.model.idToToken(id) === undefined))
        throw new GlmjsError("INPUT_INVALID", `decode: id ${String(id)} is neither a command token nor in the text vocabulary (size ${this.model.size})`);
    }
    if (this.model.kind === "wordpiece") return joinWordPieces(ids.map((id) => this.idToToken(id)!));
    let out = "";
    let run: number[] = [];
    for (const id of ids) {
      const cmd = this.byId.get(id);
      if (cmd) {
        if (run.length) out += this.model.decodeText(run);
        run = [];
        out += cmd.token;
      } else run.push(id);
    }
    if (run.length) out += this.model.decodeText(run);
    return out;
  }

  tokenToId(token: string): number | undefined {
    return this.byToken.get(token)?.id ?? this.model.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.byId.get(id)?.token ?? this.model.idToToken(id);
  }

  toJSON(): unknown {
    return this.serialize(this);
  }

  async save(path: string): Promise<void> {
    const { saveTokenizerJson } = await import("../io/node-files.js");
    await saveTokenizerJson(path, JSON.stringify(this.toJSON()));
  }
}
