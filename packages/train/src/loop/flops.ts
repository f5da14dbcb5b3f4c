// Matmul FLOPs of one training step on a batch, counting what glmjs actually computes: every
// token goes through the layers (12·L·h² weights, 2 FLOPs each, plus 4·S·h per layer for scores
// and context) but only loss tokens through the tied vocabulary projection (V·h). Backward costs
// twice the forward. (core's estimateFlopsPerToken counts the projection for every token, as the
// original and the PyTorch baseline compute it.)
import type { GLMBatch } from "@glmjs/data";

export interface FlopsShape {
  num_layers: number;
  hidden_size: number;
  vocab_size: number;
}

export function trainingStepFlops(config: FlopsShape, batch: GLMBatch, lossTokenCount: number): number {
  const { num_layers: layers, hidden_size: h, vocab_size: vocab } = config;
  const tokens = batch.batchSize * batch.seqLength;
  const forward = tokens * (2 * 12 * layers * h * h + 4 * layers * batch.seqLength * h) + lossTokenCount * 2 * vocab * h;
  return 3 * forward;
}
