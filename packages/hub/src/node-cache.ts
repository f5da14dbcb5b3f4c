// The hub cache layout of Python's huggingface_hub (also written by @huggingface/hub's
// downloadFileToCacheDir), so that glmjs and transformers share one cache:
//   <cache>/models--<org>--<name>/refs/<revision>            the commit a branch or tag pointed at
//   <cache>/models--<org>--<name>/blobs/<etag>               file contents (etag: sha256 for LFS files, git sha1 otherwise)
//   <cache>/models--<org>--<name>/snapshots/<commit>/<file>  relative symlinks to the blobs
//   <cache>/models--<org>--<name>/.no_exist/<commit>/<file>  empty: the file is known not to exist at that commit
import { importNode } from "@glmjs/common";
import { writeFileAtomic } from "@glmjs/common/node";

export const COMMIT_HASH = /^[0-9a-f]{40}$/;

async function node() {
  const [fs, path] = await Promise.all([importNode("node:fs/promises", "the hub cache"), importNode("node:path", "the hub cache")]);
  return { fs, path };
}

/** One repository's folder in the cache. */
export class CachedRepo {
  constructor(readonly folder: string) {}

  /** The commit `revision` names: itself when it is a commit hash, else what refs/<revision> records. */
  async commitOf(revision: string): Promise<string | undefined> {
    if (COMMIT_HASH.test(revision)) return revision;
    const { fs, path } = await node();
    const text = await fs.readFile(path.join(this.folder, "refs", ...revision.split("/")), "utf8").catch(() => undefined);
    const commit = text?.trim();
    return commit && COMMIT_HASH.test(commit) ? commit : undefined;
  }

  async writeRef(revision: string, commit: string): Promise<void> {
    if (revision === commit) return;
    const { fs, path } = await node();
    const file = path.join(this.folder, "refs", ...revision.split("/"));
    await fs.mkdir(path.dirname(file), { recursive: true });
    if ((await fs.readFile(file, "utf8").catch(() => ""))?.trim() !== commit) await writeFileAtomic(file, commit);
  }

  snapshotPath(commit: string, file: string): Promise<string> {
    return node().then(({ path }) => path.join(this.folder, "snapshots", commit, ...file.split("/")));
  }

  blobPath(etag: string): Promise<string> {
    return node().then(({ path }) => path.join(this.folder, "blobs", etag));
  }

  /** "present" (with the path), "missing" (a .no_exist marker), or undefined (nothing known). */
  async lookup(commit: string, file: string): Promise<{ state: "present"; path: string } | { state: "missing" } | undefined> {
    const { fs, path } = await node();
    const snapshot = await this.snapshotPath(commit, file);
    // stat follows the symlink: a link to a removed blob does not count.
    if (
      await fs.stat(snapshot).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return { state: "present", path: snapshot };
    if (
      await fs.stat(path.join(this.folder, ".no_exist", commit, ...file.split("/"))).then(
        () => true,
        () => false,
      )
    )
      return { state: "missing" };
    return undefined;
  }

  async markMissing(commit: string, file: string): Promise<void> {
    const { fs, path } = await node();
    const marker = path.join(this.folder, ".no_exist", commit, ...file.split("/"));
    await fs.mkdir(path.dirname(marker), { recursive: true });
    await fs.writeFile(marker, "");
  }

  /** Points snapshots/<commit>/<file> at blobs/<etag> (a relative symlink, or a copy where links are not allowed). */
  async link(commit: string, file: string, etag: string): Promise<string> {
    const { fs, path } = await node();
    const pointer = await this.snapshotPath(commit, file);
    const blob = await this.blobPath(etag);
    await fs.mkdir(path.dirname(pointer), { recursive: true });
    await fs.rm(pointer, { force: true });
    try {
      await fs.symlink(path.relative(path.dirname(pointer), blob), pointer);
    } catch {
      await fs.copyFile(blob, pointer);
    }
    return pointer;
  }
}

/** `models--org--name` (the client's getRepoFolderName). */
export async function cachedRepo(cacheDir: string, repo: string): Promise<CachedRepo> {
  const { path } = await node();
  const { getRepoFolderName } = await import("@huggingface/hub");
  return new CachedRepo(path.join(cacheDir, getRepoFolderName({ type: "model", name: repo })));
}

/** The cache folder: the option, else the client's getHFHubCachePath() (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, ~/.cache). */
export async function hubCacheDir(option: string | undefined): Promise<string> {
  if (option) return option;
  const { getHFHubCachePath } = await import("@huggingface/hub");
  return getHFHubCachePath();
}

/** The token `huggingface-cli login` saved: $HF_TOKEN_PATH, else $HF_HOME/token (~/.cache/huggingface/token). */
export async function savedToken(): Promise<string | undefined> {
  const { fs, path } = await node();
  const os = await importNode("node:os", "the hub token file");
  const env = process.env;
  const home = env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "huggingface");
  const file = env.HF_TOKEN_PATH ?? path.join(home, "token");
  const text = await fs.readFile(file, "utf8").catch(() => undefined);
  return text?.trim() || undefined;
}
