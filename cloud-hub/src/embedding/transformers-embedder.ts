/**
 * Embedder on transformers.js: the feature-extraction pipeline with mean
 * pooling and normalisation (sentence-transformers style). The model is a
 * Hugging Face name (downloaded and cached on first use, only when remote
 * models are allowed) or a local folder holding config.json, tokenizer.json
 * and onnx/model.onnx.
 */
import path from 'node:path';
import { EmbeddingError, type Embedder } from './embedder.js';

/** How to load a transformers.js model. */
export interface TransformersEmbedderOptions {
  /** Model name (`Xenova/all-MiniLM-L6-v2`) or an absolute/relative folder path. */
  model: string;
  /** Allow downloads from the Hugging Face hub (default false: local only). */
  allowRemote?: boolean;
  /** Cache folder for downloaded models. */
  cacheDir?: string;
}

type Extractor = (texts: string[], o: { pooling: 'mean'; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

const isFolder = (m: string): boolean => m.startsWith('/') || m.startsWith('.') || m.includes(path.sep + path.sep);

/** transformers.js feature extraction, mean-pooled and normalised. */
export class TransformersEmbedder implements Embedder {
  private constructor(readonly model: string, readonly dims: number, private readonly extract: Extractor) {}

  /** Loads the model and probes its output size; throws EMBEDDER_UNAVAILABLE when it cannot. */
  static async load(o: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    try {
      const tf = await import('@huggingface/transformers');
      tf.env.allowRemoteModels = o.allowRemote === true;
      tf.env.allowLocalModels = true;
      if (o.cacheDir) tf.env.cacheDir = o.cacheDir;
      let id = o.model;
      if (isFolder(o.model)) {
        const abs = path.resolve(o.model);
        tf.env.localModelPath = path.dirname(abs) + path.sep;
        id = path.basename(abs);
      }
      const pipe = await tf.pipeline('feature-extraction', id, { dtype: 'fp32' });
      const extract: Extractor = async (texts, opts) => {
        const t = await pipe(texts, opts);
        return { data: t.data as Float32Array, dims: t.dims as number[] };
      };
      const probe = await extract(['probe'], { pooling: 'mean', normalize: true });
      const dims = probe.dims[probe.dims.length - 1]!;
      return new TransformersEmbedder(`transformers:${o.model}`, dims, extract);
    } catch (err) {
      throw new EmbeddingError('EMBEDDER_UNAVAILABLE', `embedding model ${o.model} could not be loaded: ${(err as Error).message}`, { cause: err });
    }
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const { data, dims } = await this.extract(texts, { pooling: 'mean', normalize: true });
    const d = dims[dims.length - 1]!;
    return texts.map((_, i) => Float32Array.from(data.subarray(i * d, (i + 1) * d)));
  }
}
