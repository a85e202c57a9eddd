import * as tf from '@tensorflow/tfjs-core';

export interface SgdSettings {
  momentum: number;
  weightDecay: number;
}

/**
 * SGD with momentum and L2 weight decay in PyTorch's form (what the reference trainers use):
 * v = momentum * v + (g + decay * w); w = w - lr * v. Decay applies only to the variables the
 * caller names (weights, not biases or batch-norm parameters). The velocities are plain variables
 * so that checkpoints can save and restore them.
 */
export class MomentumSgd {
  readonly velocity = new Map<string, tf.Variable>();

  constructor(
    private readonly vars: Map<string, tf.Variable>,
    private readonly settings: SgdSettings,
    private readonly decays: (name: string) => boolean,
  ) {
    for (const [name, v] of vars) this.velocity.set(name, tf.variable(tf.zerosLike(v), false));
  }

  /** One update; `grads` maps variable names (the keys of `vars`) to gradients. */
  step(grads: Map<string, tf.Tensor>, lr: number): void {
    tf.tidy(() => {
      for (const [name, g] of grads) {
        const w = this.vars.get(name);
        const v = this.velocity.get(name);
        if (!w || !v) throw new Error(`gradient for unknown variable ${name}`);
        const decayed = this.decays(name) && this.settings.weightDecay > 0 ? tf.add(g, tf.mul(w, this.settings.weightDecay)) : g;
        const nv = tf.add(tf.mul(v, this.settings.momentum), decayed);
        v.assign(nv);
        w.assign(tf.sub(w, tf.mul(nv, lr)));
      }
    });
  }

  dispose(): void {
    for (const v of this.velocity.values()) v.dispose();
  }
}
