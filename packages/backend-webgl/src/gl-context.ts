// Finds a WebGL context the way tfjs will (WebGL 2 first, then 1) and reads the renderer, so
// probe() can say why WebGL is missing and whether it is a software rasteriser.

export interface GLRenderer {
  version: 1 | 2;
  /** Unmasked renderer string where the browser exposes it, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader ...))". */
  renderer: string;
  /** True for SwiftShader/llvmpipe and other CPU rasterisers. */
  software: boolean;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** Pure: whether a renderer string names a software rasteriser. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

type AnyCanvas = { getContext(kind: string, attrs?: object): unknown };

function makeCanvas(): AnyCanvas | undefined {
  const g = globalThis as { OffscreenCanvas?: new (w: number, h: number) => AnyCanvas; document?: { createElement(t: string): AnyCanvas } };
  if (g.OffscreenCanvas) return new g.OffscreenCanvas(1, 1);
  return g.document?.createElement("canvas");
}

/** undefined: no canvas API at all; null: canvas exists but no WebGL context could be created. */
export function findGLRenderer(): GLRenderer | null | undefined {
  const canvas = makeCanvas();
  if (!canvas) return undefined;
  for (const version of [2, 1] as const) {
    const gl = canvas.getContext(version === 2 ? "webgl2" : "webgl") as WebGLRenderingContext | null;
    if (!gl) continue;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
    // Free the probe's context: browsers cap live WebGL contexts (about 16).
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return { version, renderer, software: isSoftwareRenderer(renderer) };
  }
  return null;
}
