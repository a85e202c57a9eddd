import * as tf from '@tensorflow/tfjs-core';
import type { ModelArchitecture } from './model-file.ts';
import { readModelWeights } from './model-weights.ts';
import type { NetworkConfig, Params } from './network.ts';

/**
 * A model folder as TensorFlow.js variables, for the tfjs engine and for tests that compare
 * against it. Reading and checking the files is readModelWeights' job, the same for every engine.
 */
export interface LoadedModel {
  dir: string;
  params: Params;
  config: NetworkConfig;
  architecture: ModelArchitecture;
  trained: boolean;
  meta: Record<string, unknown>;
  dispose(): void;
}

// tf.Variable names are global to the engine: each loaded model gets its own numbered prefix.
let instances = 0;

/** Moving statistics and counters are state, not trainable: as initParams makes them. */
const STATE = /^bn\d+\/(mean|variance)$|^bn\/updates$/;

export async function loadModel(dir: string): Promise<LoadedModel> {
  const { json, tensors } = await readModelWeights(dir);
  const a = json.architecture;
  const config: NetworkConfig = {
    width: a.width,
    exemplarSize: a.exemplarSize,
    searchSize: a.searchSize ?? 239,
    headScale: a.headScale,
    bnEps: a.bnEps,
    bnMomentum: a.bnMomentum ?? 0.05,
  };
  const prefix = `loaded${++instances}`;
  const params: Params = new Map();
  for (const [name, t] of tensors) {
    params.set(
      name,
      tf.tidy(() => tf.variable(tf.tensor(t.data, t.shape), !a.folded && !STATE.test(name), `${prefix}/${name}`)),
    );
  }
  return {
    dir,
    params,
    config,
    architecture: a,
    trained: json.trained === true,
    meta: json.meta ?? {},
    dispose: () => {
      for (const v of params.values()) v.dispose();
    },
  };
}
