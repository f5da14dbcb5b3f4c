// glmjs's tiled matMul for WebGPU: C[z] = op(A[z]) · op(B[z]) (+ bias), z over the batch, or
// over inner-dimension splits whose partial products split-k-reduce.ts then adds in order.
//
// Each workgroup computes a tileM × tileN block of C; each of its threads a threadM × threadN
// block, held in vec4 registers (register blocking: per inner step a thread reads threadM/4 +
// threadN/4 vec4s from shared memory for threadM·threadN multiply-adds). The operands' tiles
// (tileK wide) are loaded with vec4 reads where the contiguous dimension is a multiple of 4, and
// stored in shared memory as As[k][m] and Bs[k][n] — A's tile k-major whatever A's layout, so
// that a thread's rows are one vec4 read; transposed layouts are handled while loading, not by
// a separate transpose. The next tile is read into registers before this one is used (and, with
// two buffers, stored beside it, one barrier per step). No atomics: every output is summed by
// one thread in a fixed order, so results repeat bit for bit.
//
// The shader is generated fully unrolled for a tile config (no run-time-indexed register
// arrays, which some drivers put in slow local memory) and specialised for whether M, N and K
// fill whole tiles (no bounds checks then).
import type { WebGPUProgramLike } from "../deterministic/webgpu-internals.js";
import type { TileConfig } from "./plan.js";

export interface TiledMatMulSpec {
  config: TileConfig;
  m: number;
  n: number;
  k: number;
  /** Batch of the output (or the number of inner-dimension splits when `split`). */
  z: number;
  transposeA: boolean;
  transposeB: boolean;
  vecA: boolean;
  vecB: boolean;
  vecOut: boolean;
  bias: boolean;
  /** z indexes inner-dimension splits of `splitK` each (batch 1); partial products are written. */
  split: boolean;
  splitK: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export class TiledMatMulProgram implements WebGPUProgramLike {
  readonly variableNames: string[];
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly dispatchLayout = { x: [2], y: [1], z: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number];
  readonly uniforms = "dimM : i32, dimN : i32, dimK : i32, batchA : i32, batchB : i32, splitK : i32,";
  readonly size = false;
  private readonly fitM: boolean;
  private readonly fitN: boolean;
  private readonly fitK: boolean;

  constructor(private readonly spec: TiledMatMulSpec) {
    const { config: c, m, n, k } = spec;
    this.variableNames = spec.bias ? ["A", "B", "bias"] : ["A", "B"];
    this.variableComponents = [spec.vecA ? 4 : 1, spec.vecB ? 4 : 1, ...(spec.bias ? [spec.vecOut ? 4 : 1] : [])];
    this.outputComponent = spec.vecOut ? 4 : 1;
    this.outputShape = [spec.z, m, n];
    this.workgroupSize = [c.tileN / c.threadN, c.tileM / c.threadM, 1];
    this.dispatch = [Math.ceil(n / c.tileN), Math.ceil(m / c.tileM), spec.z];
    this.fitM = m % c.tileM === 0;
    this.fitN = n % c.tileN === 0;
    this.fitK = spec.split ? k % spec.splitK === 0 && spec.splitK % c.tileK === 0 : k % c.tileK === 0;
    const flags = [spec.transposeA, spec.transposeB, spec.vecA, spec.vecB, spec.vecOut, spec.bias, spec.split, this.fitM, this.fitN, this.fitK]
      .map(Number)
      .join("");
    this.shaderKey = `glmjsTiledMatMul_${c.name}_${flags}`;
  }

  getUserCode(): string {
    const { config: c, transposeA, transposeB, vecA, vecB, vecOut, bias, split } = this.spec;
    const TX = c.tileN / c.threadN;
    const TY = c.tileM / c.threadM;
    const threads = TX * TY;
    const RB = c.threadM / 4; // vec4 row groups per thread
    const CB = c.threadN / 4; // vec4 column groups per thread
    const sizeA = (c.tileM * c.tileK) / 4; // vec4s in one A tile
    const sizeB = (c.tileN * c.tileK) / 4;
    const loadsA = sizeA / threads;
    const loadsB = sizeB / threads;
    const mq = c.tileM / 4; // vec4s per k-row of As
    const nq = c.tileN / 4;
    const kq = c.tileK / 4;
    const checkK = !this.fitK;

    // Reads one vec4 of an operand tile; `slot` numbers the tile's vec4s in load order.
    // A stored [M, K] (not transposed): slot → (row, kq), contiguous along K.
    // A stored [K, M] (transposed): slot → (k, mq), contiguous along M. B likewise.
    const readA = transposeA
      ? this.reader("A", vecA, "k", "m", mq, "uniforms.dimM", checkK, !this.fitM, "uniforms.dimK", "uniforms.dimM")
      : this.reader("A", vecA, "m", "k", kq, "uniforms.dimK", !this.fitM, checkK, "uniforms.dimM", "uniforms.dimK");
    const readB = transposeB
      ? this.reader("B", vecB, "n", "k", kq, "uniforms.dimK", !this.fitN, checkK, "uniforms.dimN", "uniforms.dimK")
      : this.reader("B", vecB, "k", "n", nq, "uniforms.dimN", checkK, !this.fitN, "uniforms.dimK", "uniforms.dimN");
    // Stores a loaded vec4 into the k-major shared tile. A not transposed: its 4 values are 4 k's of one m.
    const storeA = transposeA
      ? (v: string, slot: string, buf: string) => `As[${buf} + ${slot}] = ${v};`
      : (v: string, slot: string, buf: string) =>
          `{ let row = ${slot} / ${kq}; let k4 = (${slot} % ${kq}) * 4; let at = ${buf} + k4 * ${mq} + row / 4; let lane = row % 4;
             As[at][lane] = ${v}.x; As[at + ${mq}][lane] = ${v}.y; As[at + ${2 * mq}][lane] = ${v}.z; As[at + ${3 * mq}][lane] = ${v}.w; }`;
    const storeB = transposeB
      ? (v: string, slot: string, buf: string) =>
          `{ let col = ${slot} / ${kq}; let k4 = (${slot} % ${kq}) * 4; let at = ${buf} + k4 * ${nq} + col / 4; let lane = col % 4;
             Bs[at][lane] = ${v}.x; Bs[at + ${nq}][lane] = ${v}.y; Bs[at + ${2 * nq}][lane] = ${v}.z; Bs[at + ${3 * nq}][lane] = ${v}.w; }`
      : (v: string, slot: string, buf: string) => `Bs[${buf} + ${slot}] = ${v};`;

    const prefetch = (k0: string) =>
      [
        ...range(loadsA).map((j) => `pa${j} = readA(batchA, m0, ${k0}, lidx + ${j * threads});`),
        ...range(loadsB).map((j) => `pb${j} = readB(batchB, n0, ${k0}, lidx + ${j * threads});`),
      ].join("\n        ");
    const store = (bufA: string, bufB: string) =>
      [
        ...range(loadsA).map((j) => storeA(`pa${j}`, `(lidx + ${j * threads})`, bufA)),
        ...range(loadsB).map((j) => storeB(`pb${j}`, `(lidx + ${j * threads})`, bufB)),
      ].join("\n        ");

    const acc = (g: number, r: number, h: number) => `acc${g * 4 + r}_${h}`;
    const step = (kk: number) => {
      const lines = [
        ...range(RB).map((g) => `let a${g} = As[curA + ${kk * mq + g * TY} + ty];`),
        ...range(CB).map((h) => `let b${h} = Bs[curB + ${kk * nq + h * TX} + tx];`),
      ];
      for (const g of range(RB))
        for (const r of range(4)) for (const h of range(CB)) lines.push(`${acc(g, r, h)} = fma(vec4<f32>(a${g}[${r}]), b${h}, ${acc(g, r, h)});`);
      return `{ ${lines.join(" ")} }`;
    };

    const writes: string[] = [];
    for (const g of range(RB)) {
      for (const r of range(4)) {
        const inner: string[] = [];
        for (const h of range(CB)) {
          const value = acc(g, r, h);
          if (vecOut) {
            const body = `result[outRow + (col${h} / 4)] = ${value}${bias && !split ? ` + bias[col${h} / 4]` : ""};`;
            inner.push(this.fitN ? body : `if (col${h} < uniforms.dimN) { ${body} }`);
          } else {
            for (const e of range(4)) {
              const body = `result[outRow + col${h} + ${e}] = ${value}[${e}]${bias && !split ? ` + bias[col${h} + ${e}]` : ""};`;
              inner.push(this.fitN && c.tileN % 4 === 0 ? body : `if (col${h} + ${e} < uniforms.dimN) { ${body} }`);
            }
          }
        }
        const row = `m0 + ${g * TY * 4 + r} + ty * 4`;
        const outRow = vecOut ? `(outBase + row * uniforms.dimN) / 4` : `outBase + row * uniforms.dimN`;
        const block = `{ let row = ${row}; let outRow = ${outRow}; ${inner.join(" ")} }`;
        writes.push(this.fitM ? block : `if (${row} < uniforms.dimM) ${block}`);
      }
    }

    const bufferStride = (size: number) => (c.buffers === 2 ? `${size} * (t % 2)` : "0");
    const nextBuffer = (size: number) => `${size} * ((t + 1) % 2)`;
    return `
      var<workgroup> As : array<vec4<f32>, ${sizeA * c.buffers}>;
      var<workgroup> Bs : array<vec4<f32>, ${sizeB * c.buffers}>;
      ${readA}
      ${readB}
      fn main() {
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let lidx = ty * ${TX} + tx;
        let n0 = i32(workgroupId.x) * ${c.tileN};
        let m0 = i32(workgroupId.y) * ${c.tileM};
        let z = i32(workgroupId.z);
        ${
          split
            ? `let batch = 0; let kBegin = z * uniforms.splitK; let tiles = (uniforms.splitK + ${c.tileK - 1}) / ${c.tileK};`
            : `let batch = z; let kBegin = 0; let tiles = (uniforms.dimK + ${c.tileK - 1}) / ${c.tileK};`
        }
        let batchA = select(batch, 0, uniforms.batchA == 1);
        let batchB = select(batch, 0, uniforms.batchB == 1);
        ${range(RB * 4)
          .flatMap((row) => range(CB).map((h) => `var acc${row}_${h} = vec4<f32>(0.0);`))
          .join(" ")}
        ${range(loadsA)
          .map((j) => `var pa${j} : vec4<f32>;`)
          .join(" ")}
        ${range(loadsB)
          .map((j) => `var pb${j} : vec4<f32>;`)
          .join(" ")}
        ${prefetch("kBegin")}
        ${store("0", "0")}
        workgroupBarrier();
        for (var t = 0; t < tiles; t++) {
          let curA = ${bufferStride(sizeA)};
          let curB = ${bufferStride(sizeB)};
          let more = t + 1 < tiles;
          if (more) {
            let k0 = kBegin + (t + 1) * ${c.tileK};
            ${prefetch("k0")}
          }
          ${range(c.tileK).map(step).join("\n          ")}
          ${
            c.buffers === 2
              ? `if (more) {
            ${store(nextBuffer(sizeA), nextBuffer(sizeB))}
          }
          workgroupBarrier();`
              : `workgroupBarrier();
          if (more) {
            ${store("0", "0")}
          }
          workgroupBarrier();`
          }
        }
        let outBase = z * uniforms.dimM * uniforms.dimN;
        ${range(CB)
          .map((h) => `let col${h} = n0 + ${h * TX * 4} + tx * 4;`)
          .join(" ")}
        ${writes.join("\n        ")}
      }`;
  }

  /**
   * WGSL function `read<name>(batch, outer0, k0, slot) -> vec4<f32>` for one operand, stored as
   * [batch, rows, cols] with `cols` contiguous; the tile's rows run along `rowDim` and its vec4s
   * along `colDim`. `perRow` vec4s per tile row; bounds checks only where the tile can overhang.
   */
  private reader(
    name: "A" | "B",
    vec: boolean,
    rowDim: "m" | "n" | "k",
    colDim: "m" | "n" | "k",
    perRow: number,
    cols: string,
    checkRow: boolean,
    checkCol: boolean,
    rows: string,
    colLimit: string,
  ): string {
    // outer0 is the tile's first row/col of M (for A) or N (for B); k0 its first k.
    const origin = (dim: "m" | "n" | "k") => (dim === "k" ? "k0" : "outer0");
    const batchRows = name === "A" ? (rowDim === "k" ? "uniforms.dimK" : "uniforms.dimM") : rowDim === "k" ? "uniforms.dimK" : "uniforms.dimN";
    const conditions = [...(checkRow ? [`r < ${rows}`] : []), ...(checkCol ? [`c < ${colLimit}`] : [])];
    const guard = (expr: string) => (conditions.length ? `if (${conditions.join(" && ")}) { ${expr} }` : expr);
    const base = `(b * ${batchRows} + r) * ${cols} + c`;
    const load = vec
      ? guard(`v = ${name}[(${base}) / 4];`)
      : range(4)
          .map((e) => {
            const at = `${base} + ${e}`;
            const ok = [...(checkRow ? [`r < ${rows}`] : []), `c + ${e} < ${colLimit}`];
            return `if (${ok.join(" && ")}) { v[${e}] = ${name}[${at}]; }`;
          })
          .join(" ");
    return `
      fn read${name}(b : i32, outer0 : i32, k0 : i32, slot : i32) -> vec4<f32> {
        let r = ${origin(rowDim)} + slot / ${perRow};
        let c = ${origin(colDim)} + (slot % ${perRow}) * 4;
        var v = vec4<f32>(0.0);
        ${load}
        return v;
      }`;
  }
}
