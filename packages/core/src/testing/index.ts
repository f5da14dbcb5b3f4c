// @glmjs/core/testing: reusable checks for backend packages and browser tests (not part of the main API).
export {
  MODEL_FIXTURE_FILES,
  fixtureBatch,
  loadFixtureModel,
  modelFixtureFromFiles,
  runModelParity,
} from "./parity.js";
export type { FixtureDecode, FixtureGenerate, FixtureInputs, ModelFixture, ParityCheck, ParityOptions } from "./parity.js";
// Kernel coverage suite: GLM's ops, forward and gradient, on any backend against cpu.
export * from "./kernel-coverage/index.js";
