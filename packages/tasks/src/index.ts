// Public surface of @glmjs/tasks.

// Blank infilling and generation (ids level).
export { infillIds, infillBatchIds, streamInfillIds } from "./generation/infill.js";
export type { InfillOptions } from "./generation/infill.js";
export type { InfillEvent, InfillResult, InfillSpan, InfillSpanEvent, InfillTokenEvent } from "./generation/types.js";
export type { EventStream } from "./generation/stream.js";
export type { DecodingOptions, DecodingStrategy } from "./decoding/options.js";
export type { SpecialIds } from "./decoding/special-ids.js";
export { blankPositions } from "./decoding/special-ids.js";
