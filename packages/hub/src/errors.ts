// One error class for everything that can go wrong between glmjs and a model hub, with codes a
// caller can act on (log in, go online, fix the id) instead of parsing messages.
import { GlmjsError } from "@glmjs/common";

/** Every code a HubError can carry, by name (the value is the code). */
export const HUB_ERROR = {
  /** No such repository, revision or file (or a private repository without access). */
  HUB_NOT_FOUND: "HUB_NOT_FOUND",
  /** The repository is gated or private and the token is missing or not allowed. */
  HUB_UNAUTHORIZED: "HUB_UNAUTHORIZED",
  /** Offline (HF_HUB_OFFLINE=1 or `offline: true`) and the file is not in the cache. */
  HUB_OFFLINE: "HUB_OFFLINE",
  /** The hub or the network failed (status, or the fetch error as `cause`). */
  HUB_REQUEST_FAILED: "HUB_REQUEST_FAILED",
} as const;

/** One of the codes in HUB_ERROR. */
export type HubErrorCode = (typeof HUB_ERROR)[keyof typeof HUB_ERROR];

export class HubError extends GlmjsError {
  /** The repository ("org/name") or base URL. */
  readonly repo: string;
  /** The file within it, where one is involved. */
  readonly file: string | undefined;
  /** The HTTP status, where the server answered. */
  readonly status: number | undefined;
  /** The message without the "repo: file: " it starts with. */
  readonly detail: string;
  constructor(code: HubErrorCode, repo: string, file: string | undefined, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(code, `${file === undefined ? repo : `${repo}: ${file}`}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HubError";
    this.repo = repo;
    this.file = file;
    this.status = options.status;
    this.detail = message;
  }
}
