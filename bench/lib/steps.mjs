// The two timed units of the bench scripts, on one fixed batch: a training step's forward +
// backward (gradients of every variable) and batch scoring (full-vocabulary per-token loss).

export function trainStep(tf, model, batch) {
  return async () => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch));
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  };
}

export function scoreStep(model, batch) {
  return async () => {
    const t = model.perTokenLoss(batch);
    await t.data();
    t.dispose();
  };
}
