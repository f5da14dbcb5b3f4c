export function rng(seed: number): () => number;
export function randomString(r: () => number, maxFragments?: number): string;
export function randomStrings(seed: number, count: number, maxFragments?: number): string[];
