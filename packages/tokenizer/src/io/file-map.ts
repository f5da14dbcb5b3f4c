// The files a tokenizer is loaded from, by base name: strings for text files, bytes for
// SentencePiece models. What a browser passes to loadTokenizer, and what the Node reader builds.
import { GlmjsError } from "@glmjs/common";

export type FileContent = string | Uint8Array;
export type TokenizerFiles = Record<string, FileContent>;

export function asText(files: TokenizerFiles, name: string): string {
  const c = files[name];
  if (c === undefined) throw new GlmjsError("FILE_NOT_FOUND", `${name}: missing`);
  return typeof c === "string" ? c : new TextDecoder("utf-8").decode(c);
}

export function asBytes(files: TokenizerFiles, name: string): Uint8Array {
  const c = files[name];
  if (c === undefined) throw new GlmjsError("FILE_NOT_FOUND", `${name}: missing`);
  return typeof c === "string" ? new TextEncoder().encode(c) : c;
}

/** Whether a base name is one the loader knows how to use (the Node reader reads only these). */
export function isTokenizerFileName(name: string): boolean {
  return (
    name === "tokenizer.json" ||
    name === "tokenizer_config.json" ||
    name.endsWith("vocab.txt") ||
    name.endsWith("vocab.json") ||
    name.endsWith("merges.txt") ||
    name.endsWith(".model")
  );
}
