// GLM's command tokens with the exact ids of each released model family, built the way the
// original tokenizers build them (THUDM/GLM data_utils/tokenization.py; GLM.md §3).
import type { CommandToken, SpecialIds } from "../types.js";

/** Which original tokenizer class (and so which command-token layout) a tokenizer follows. */
export type GlmFamily = "bert" | "gpt2" | "roberta" | "chinese-sp";

/** The original's flag combinations: add_block_symbols, add_task_mask, add_decoder_mask. */
export type CommandVariant = "plain" | "block" | "block+task_mask" | "block+task_mask+decoder_mask";

export const DEFAULT_VARIANT: CommandVariant = "block+task_mask";

export interface CommandTokenOptions {
  variant?: CommandVariant;
  /**
   * Chinese SentencePiece only: `--fix-command-token` (glm-large-chinese and the Hugging Face
   * ids, gMASK = 50009; the default). `false` gives glm-10b-chinese's original training ids,
   * where gMASK shares eop's id.
   */
  fixCommandToken?: boolean;
}

export interface CommandTokenLayout {
  tokens: CommandToken[];
  /** Ids in use (text vocabulary + command tokens): the original `num_tokens`. */
  numTokens: number;
}

/** Looks a token of the text vocabulary up; throws with a useful message when absent. */
export type VocabLookup = (token: string) => number;

const ct = (name: string, token: string, id: number, lstrip = false): CommandToken => ({ name, token, id, lstrip, rstrip: false });

export function buildCommandTokens(family: GlmFamily, textVocabSize: number, lookup: VocabLookup, options: CommandTokenOptions = {}): CommandTokenLayout {
  const variant = options.variant ?? DEFAULT_VARIANT;
  const block = variant !== "plain";
  const taskMask = variant === "block+task_mask" || variant === "block+task_mask+decoder_mask";
  const decoderMask = variant === "block+task_mask+decoder_mask";
  const tokens: CommandToken[] = [];
  let n = textVocabSize;
  switch (family) {
    case "bert": {
      tokens.push(
        ct("pad", "[PAD]", lookup("[PAD]")),
        ct("ENC", "[CLS]", lookup("[CLS]")),
        ct("MASK", "[MASK]", lookup("[MASK]")),
        ct("unk", "[UNK]", lookup("[UNK]")),
        ct("sep", "[SEP]", lookup("[SEP]")),
        ct("eos", "[PAD]", lookup("[PAD]")),
      );
      if (block) {
        tokens.push(ct("sop", "<|startofpiece|>", n), ct("eop", "<|endofpiece|>", n + 1));
        n += 2;
        if (taskMask) {
          tokens.push(ct("gMASK", "[gMASK]", n), ct("sMASK", "[sMASK]", n + 1));
          n += 2;
        }
        if (decoderMask) tokens.push(ct("dBLOCK", "[dBLOCK]", n++));
      }
      break;
    }
    case "gpt2":
    case "roberta": {
      if (family === "roberta") {
        tokens.push(
          ct("pad", "<|endoftext|>", lookup("</s>")),
          ct("eos", "<|endoftext|>", lookup("</s>")),
          ct("sep", "[SEP]", lookup("</s>")),
          ct("ENC", "[CLS]", lookup("<s>")),
          ct("MASK", "[MASK]", lookup("<mask>"), true),
          ct("unk", "[UNK]", lookup("<unk>")),
        );
        if (block) {
          tokens.push(ct("sop", "<|startofpiece|>", n), ct("eop", "<|endofpiece|>", n + 1));
          n += 2;
        }
      } else {
        const eot = lookup("<|endoftext|>");
        tokens.push(ct("pad", "<|endoftext|>", eot), ct("eos", "<|endoftext|>", eot));
        if (block) {
          tokens.push(
            ct("sop", "<|startofpiece|>", n),
            ct("eop", "<|endofpiece|>", n + 1),
            ct("ENC", "[CLS]", n + 2),
            ct("MASK", "[MASK]", n + 3, true),
            ct("sep", "[SEP]", n + 4),
            ct("unk", "[UNK]", n + 5),
          );
          n += 6;
        }
      }
      if (block) {
        if (taskMask) {
          tokens.push(ct("gMASK", "[gMASK]", n, true), ct("sMASK", "[sMASK]", n + 1, true));
          n += 2;
        }
        if (decoderMask) tokens.push(ct("dBLOCK", "[dBLOCK]", n++));
      }
      break;
    }
    case "chinese-sp": {
      const fix = options.fixCommandToken ?? true;
      tokens.push(
        ct("pad", "<|endoftext|>", n),
        ct("eos", "<|endoftext|>", n),
        ct("sep", "[SEP]", n + 1),
        ct("ENC", "[CLS]", n + 2),
        ct("MASK", "[MASK]", n + 3, true),
        ct("unk", "[UNK]", n + 4),
      );
      n += 5;
      if (block) {
        tokens.push(ct("sop", "<|startofpiece|>", n + 1), ct("eop", "<|endofpiece|>", n + 2));
        n += fix ? 3 : 2;
        if (taskMask) {
          if (fix) tokens.push(ct("sMASK", "[sMASK]", n, true), ct("gMASK", "[gMASK]", n + 1, true));
          else tokens.push(ct("gMASK", "[gMASK]", n, true), ct("sMASK", "[sMASK]", n + 1, true));
          n += 2;
        }
        if (decoderMask) tokens.push(ct("dBLOCK", "[dBLOCK]", n++));
      }
      break;
    }
  }
  return { tokens, numTokens: n };
}

/** Ids by name (-1 for a token the variant lacks). */
export function specialIds(tokens: readonly CommandToken[]): SpecialIds {
  const get = (name: string): number => tokens.find((t) => t.name === name)?.id ?? -1;
  const ids: SpecialIds = {
    pad: get("pad"),
    eos: get("eos"),
    cls: get("ENC"),
    sep: get("sep"),
    mask: get("MASK"),
    sMask: get("sMASK"),
    gMask: get("gMASK"),
    sop: get("sop"),
    eop: get("eop"),
    unk: get("unk"),
  };
  const dBlock = get("dBLOCK");
  if (dBlock >= 0) ids.dBlock = dBlock;
  return ids;
}

/** The embedding rows: ids in use rounded up to a multiple of 128 (`--make-vocab-size-divisible-by`). */
export function padVocabSize(numTokens: number, multiple = 128): number {
  return Math.ceil(numTokens / multiple) * multiple;
}
