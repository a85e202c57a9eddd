import type { OnnxGraph } from '../graph.ts';

/**
 * Reverse-mode differentiation written out as ONNX: every differentiable operator is a rule (its own
 * module in this folder) that emits its forward nodes into the graph and records how to emit its
 * backward nodes. `gradients()` then walks the record backwards and adds the reverse pass to the same
 * graph, so one session returns the loss and every parameter gradient.
 *
 * Shapes are static (one graph per batch size): rules need them for reshapes, output paddings and
 * reductions, and knowing them lets a rule skip work, e.g. no gradient for the images.
 */
export type Shape = number[];

/**
 * Emits the gradients of a step's inputs from the gradient of its output. `wants[i]` says whether
 * input i needs one; the rule may return undefined for those that do not.
 */
export type Backward = (dy: string, wants: boolean[]) => (string | undefined)[];

interface Step {
  inputs: string[];
  output: string;
  backward: Backward;
}

export class Tape {
  private readonly shapes = new Map<string, Shape>();
  private readonly differentiable = new Set<string>();
  private readonly steps: Step[] = [];
  private readonly memos = new Map<string, string>();

  constructor(readonly g: OnnxGraph) {}

  /** A graph input the gradient is taken with respect to. */
  param(name: string, shape: Shape): string {
    this.g.input(name, shape);
    this.differentiable.add(name);
    return this.known(name, shape);
  }

  /** A graph input held fixed (images, moving statistics). */
  input(name: string, shape: Shape): string {
    this.g.input(name, shape);
    return this.known(name, shape);
  }

  /** Declares the shape of a value made outside the rules (constants, fixed intermediate values). */
  known(value: string, shape: Shape): string {
    this.shapes.set(value, [...shape]);
    return value;
  }

  shape(value: string): Shape {
    const s = this.shapes.get(value);
    if (!s) throw new Error(`tape: no shape recorded for ${value}`);
    return s;
  }

  /**
   * A value derived once per graph and shared by every rule that asks with the same key (a kernel's
   * ONNX layout, used by both branches of a Siamese network and by their backward passes).
   */
  memo(key: string, make: () => string): string {
    let v = this.memos.get(key);
    if (v === undefined) {
      v = make();
      this.memos.set(key, v);
    }
    return v;
  }

  needsGrad(value: string): boolean {
    return this.differentiable.has(value);
  }

  /** Registers a rule's output; the backward is kept only when some input is differentiable. */
  record(output: string, shape: Shape, inputs: string[], backward: Backward): string {
    this.known(output, shape);
    if (inputs.some((i) => this.differentiable.has(i))) {
      this.differentiable.add(output);
      this.steps.push({ inputs, output, backward });
    }
    return output;
  }

  /**
   * Adds the reverse pass for d `loss` / d each of `wrt` and returns the gradients' names (same
   * shapes as `wrt`). The loss must be a scalar; a value reached along several paths gets the sum.
   */
  gradients(loss: string, wrt: string[]): string[] {
    if (this.shape(loss).length !== 0) throw new Error(`tape: the loss must be a scalar, got [${this.shape(loss)}]`);
    const pending = new Map<string, string[]>([[loss, [this.g.constant(1)]]]);
    const total = (v: string): string | undefined => {
      const parts = pending.get(v);
      if (!parts) return undefined;
      const sum = parts.length === 1 ? parts[0] : this.g.op('Sum', parts);
      pending.set(v, [sum]);
      return sum;
    };
    const wanted = new Set(wrt);
    // Only steps on a path from a wanted value to the loss need their backward emitted.
    const useful = new Set<string>(wrt);
    for (const s of this.steps) if (s.inputs.some((i) => useful.has(i))) useful.add(s.output);
    for (let k = this.steps.length - 1; k >= 0; k--) {
      const s = this.steps[k];
      const dy = total(s.output);
      if (dy === undefined || !useful.has(s.output)) continue;
      const wants = s.inputs.map((i) => this.differentiable.has(i) && useful.has(i));
      const dxs = s.backward(dy, wants);
      s.inputs.forEach((input, i) => {
        const dx = dxs[i];
        if (!wants[i] || dx === undefined) return;
        pending.set(input, [...(pending.get(input) ?? []), dx]);
      });
    }
    return wrt.map((v) => {
      const d = total(v);
      if (!wanted.has(v) || d === undefined) throw new Error(`tape: ${v} does not reach the loss`);
      return d;
    });
  }
}

/** Number of elements of a shape. */
export const size = (s: Shape): number => s.reduce((a, b) => a * b, 1);
