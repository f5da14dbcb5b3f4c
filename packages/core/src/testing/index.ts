// @glmjs/core/testing: reusable checks for backend packages and browser tests (not part of the main API).
export { MODEL_FIXTURE_FILES, fixtureBatch, loadFixtureModel, modelFixtureFromFiles } from "./model-fixture.js";
export type { FixtureDecode, FixtureGenerate, FixtureInputs, ModelFixture } from "./model-fixture.js";
export { runModelParity } from "./model-parity.js";
export type { ParityCheck, ParityOptions } from "./model-parity.js";
// Kernel coverage suite: GLM's ops, forward and gradient, on any backend against cpu.
export * from "./kernel-coverage/index.js";
