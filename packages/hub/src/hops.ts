// A fetch for the @huggingface/hub client that follows redirects itself, so that the headers of
// the hub's own answer stay visible: X-Repo-Commit, X-Linked-Etag and X-Linked-Size come on the
// redirect to the storage of large files, which a plain fetch hides. It also adds the token for
// the hub's origin only (never to storage hosts), as Python's huggingface_hub does.

export interface HopRecord {
  url: string;
  status: number;
  headers: Headers;
}

export interface RecordingFetch {
  fetch: typeof fetch;
  /** The first answer to the first request (the hub's resolve endpoint). */
  first: HopRecord | undefined;
  /** The last answer seen. */
  last: HopRecord | undefined;
  /** Whether the last request asked for a range and got the whole file (200) instead. */
  rangeIgnored: boolean;
}

const MAX_REDIRECTS = 10;

export function recordingFetch(base: typeof fetch, token: string | undefined, hubOrigin: string): RecordingFetch {
  const record: RecordingFetch = {
    first: undefined,
    last: undefined,
    rangeIgnored: false,
    fetch: async (input, init) => {
      let url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      const headers = new Headers(init?.headers);
      if (token && url.origin === hubOrigin && !headers.has("authorization")) headers.set("Authorization", `Bearer ${token}`);
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const response = await base(url, { ...init, headers, redirect: "manual" });
        const seen = { url: url.href, status: response.status, headers: response.headers };
        record.first ??= seen;
        record.last = seen;
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          const next = new URL(location, url);
          // Credentials never follow a redirect to another host (the storage of LFS files).
          if (next.origin !== url.origin) headers.delete("authorization");
          url = next;
          continue;
        }
        record.rangeIgnored = headers.has("range") && response.status === 200;
        return response;
      }
      throw new TypeError(`more than ${MAX_REDIRECTS} redirects from ${typeof input === "string" ? input : String(input)}`);
    },
  };
  return record;
}
