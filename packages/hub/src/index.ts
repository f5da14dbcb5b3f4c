// Public surface of @glmjs/hub: where a model's files come from (hub id, URL or folder) and how
// they are fetched and cached. Browser-safe: Node's file system is reached lazily (importNode),
// and the @huggingface/hub client is loaded only when a Node download needs it.
export { HUB_ERROR, HubError, type HubErrorCode } from "./errors.js";
export { DEFAULT_ENDPOINT, hubEndpoint, isHubOffline, type HubOptions, type HubProgress } from "./options.js";
export { isUrl, parseHubId, resolveModelSource, type ModelSource } from "./source.js";
export { openModelRepo, type FileRequest, type ModelRepo } from "./repo.js";
export { BROWSER_CACHE_NAME, openFetchRepo, type FetchRepoOptions, type ResponseCache } from "./fetch-repo.js";
export { hubCacheDir } from "./node-cache.js";
