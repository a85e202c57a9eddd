import type { ParamArray } from './trainable.ts';

export interface SgdSettings {
  momentum: number;
  weightDecay: number;
}

/**
 * SGD with momentum and L2 weight decay in PyTorch's form (what the reference trainers use):
 * v = momentum * v + (g + decay * w); w = w - lr * v. Decay applies only to the parameters the
 * caller names (weights, not biases or batch-norm parameters). Weights are updated in place in the
 * arrays the engine reads; the velocities are plain arrays too, so checkpoints save and restore them.
 */
export class MomentumSgd {
  readonly velocity = new Map<string, Float32Array>();

  constructor(
    private readonly params: ReadonlyMap<string, ParamArray>,
    names: readonly string[],
    private readonly settings: SgdSettings,
    private readonly decays: (name: string) => boolean,
  ) {
    for (const name of names) {
      const p = params.get(name);
      if (!p) throw new Error(`SGD: no parameter ${name}`);
      this.velocity.set(name, new Float32Array(p.data.length));
    }
  }

  /** One update; `grads` maps parameter names (those given to the constructor) to gradients. */
  step(grads: ReadonlyMap<string, Float32Array>, lr: number): void {
    const { momentum, weightDecay } = this.settings;
    for (const [name, g] of grads) {
      const w = this.params.get(name)?.data;
      const v = this.velocity.get(name);
      if (!w || !v) throw new Error(`gradient for unknown parameter ${name}`);
      if (g.length !== w.length) throw new Error(`gradient of ${name} has ${g.length} values for ${w.length} weights`);
      const wd = this.decays(name) ? weightDecay : 0;
      for (let i = 0; i < w.length; i++) {
        const nv = momentum * v[i] + (g[i] + wd * w[i]);
        v[i] = nv;
        w[i] -= lr * v[i];
      }
    }
  }
}
