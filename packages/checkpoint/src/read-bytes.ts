// One entry point for checkpoint bytes of any supported format, chosen by content, not by name.

import { isLegacyTorchFile, readPytorchBin } from "./pytorch-bin.js";
import { readSafetensors } from "./safetensors.js";
import { CheckpointError, type CheckpointContents } from "./types.js";
import { isZip } from "./zip.js";

export type CheckpointFormat = "safetensors" | "pytorch" | "pytorch-legacy" | "unknown";

/** Recognises a checkpoint by its first bytes. */
export function sniffCheckpointFormat(bytes: Uint8Array): CheckpointFormat {
  if (isZip(bytes)) return "pytorch";
  if (isLegacyTorchFile(bytes)) return "pytorch-legacy";
  // safetensors: u64 header length, then a JSON object
  if (bytes.byteLength >= 9 && bytes[8] === 0x7b) return "safetensors";
  return "unknown";
}

/** Reads safetensors or PyTorch zip bytes, whichever they are. */
export function readCheckpointBytes(bytes: Uint8Array, fileName: string): CheckpointContents {
  switch (sniffCheckpointFormat(bytes)) {
    case "safetensors":
      return { format: "safetensors", ...readSafetensors(bytes, fileName) };
    case "pytorch":
    case "pytorch-legacy": // readPytorchBin explains how to convert it
      return { format: "pytorch", tensors: readPytorchBin(bytes, fileName), metadata: {} };
    default:
      throw new CheckpointError(fileName, "not a recognised checkpoint: neither safetensors (8-byte length + JSON header) nor a PyTorch zip file");
  }
}
