export { AUTO_ORDER, BACKEND_CONTRACT_VERSION } from "./contract.js";
export type { BackendEnvironment, BackendProvider, ProbeResult } from "./contract.js";
export { currentEnvironment } from "./environment.js";
export { activeBackend, autoBackend, autoBackendChoice, getBackendProvider, listBackends, probeBackends, registerBackend, useBackend } from "./registry.js";
export type { AutoBackendOptions, BackendStatus } from "./registry.js";
export { measureMatmulSpeed } from "./matmul-speed.js";
export type { MatmulSpeed } from "./matmul-speed.js";
