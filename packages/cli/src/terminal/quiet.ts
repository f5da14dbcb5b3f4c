// tfjs's console notices in Node: on its first tensor the cpu backend prints "Hi, looks like you
// are running TensorFlow.js in Node.js … install our node backend", which points glmjs users at
// the wrong fix (glmjs picks its backends itself; see `glm backends`). tfjs prints such notices
// only outside production mode, so commands enter it unless --verbose.
import { tf } from "@glmjs/core";

export function quietTfjs(verbose: boolean | undefined): void {
  if (!verbose) tf.env().set("PROD", true);
}
