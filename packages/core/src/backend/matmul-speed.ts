import { tf } from "../tfjs.js";

export interface MatmulSpeed {
  size: number;
  gflops: number;
  /** Median seconds per matmul. */
  seconds: number;
}

/**
 * Measures square float32 matMul speed on the active backend (median of `repeats` timed runs
 * after one warm-up). Used by `glm backends`, the trainer's MFU and the benchmarks.
 */
export async function measureMatmulSpeed(size: number, repeats = 5): Promise<MatmulSpeed> {
  const a = tf.randomUniform([size, size], -1, 1, "float32", 1);
  const b = tf.randomUniform([size, size], -1, 1, "float32", 2);
  try {
    const run = async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
    await run();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await run();
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((x, y) => x - y);
    const seconds = times[Math.floor(times.length / 2)]!;
    return { size, seconds, gflops: (2 * size ** 3) / seconds / 1e9 };
  } finally {
    a.dispose();
    b.dispose();
  }
}
