// LAMBADA and perplexity evaluation of a GLM (teacher-forced, batched).
export { buildLmRow, lmSpecialIds } from "./lm-row.js";
export type { LmMaskToken, LmRow, LmSpecialIds, LmTokenizer } from "./lm-row.js";
export { lambadaIds, lambadaRow, parseLambada, splitLastWord } from "./lambada.js";
export type { LmEvalMode } from "./lambada.js";
export { checkWindowOptions, defaultStride, perplexityWindow, windowCount } from "./perplexity-windows.js";
export type { WindowOptions } from "./perplexity-windows.js";
export { scoreRows } from "./score-rows.js";
export type { RowScores, ScoreRowsOptions } from "./score-rows.js";
export { evaluateLambada } from "./evaluate-lambada.js";
export type { LambadaOptions, LambadaPassageResult, LambadaResult } from "./evaluate-lambada.js";
export { evaluatePerplexity } from "./evaluate-perplexity.js";
export type { PerplexityOptions, PerplexityResult } from "./evaluate-perplexity.js";
