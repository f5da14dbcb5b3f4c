// tf.tidy for results that are plain objects/arrays of tensors (tidy keeps every tensor it finds
// in the returned value; its TensorContainer type just lacks index signatures for interfaces).
import { tf } from "../tfjs.js";

export function tidyResult<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
