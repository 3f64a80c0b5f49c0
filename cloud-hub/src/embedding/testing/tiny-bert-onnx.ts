/**
 * Builds a tiny BERT-shaped ONNX model (random weights) next to the real
 * all-MiniLM-L6-v2 tokenizer, so tests can run transformers.js for real:
 * tokenisation, the ONNX session and pooling. The vectors mean nothing.
 *
 * Graph (opset 13): last_hidden_state = tanh((E[input_ids] + T[token_type_ids]) · W + b) * attention_mask
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedPath } from '@argus/native/shared-data';
import { onnx } from 'onnx-proto';

/** Folder of the real tokenizer and config in the shared area beside the repository (throws when it is missing). */
export const minilmTokenizerDir = (): string => sharedPath('models', 'all-MiniLM-L6-v2-tokenizer');

function tensor(name: string, dims: number[], data: Float32Array | number[], type = onnx.TensorProto.DataType.FLOAT): onnx.ITensorProto {
  if (type === onnx.TensorProto.DataType.INT64) return { name, dims, dataType: type, int64Data: data as number[] };
  return { name, dims, dataType: type, rawData: new Uint8Array((data as Float32Array).buffer.slice(0)) };
}

function random(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

const io = (name: string, elem: number, dims: (string | number)[]): onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});

/**
 * Writes `<dir>/<name>/{config.json,tokenizer*.json,onnx/model.onnx}` and returns that folder.
 * @param hidden hidden size (vector length), e.g. 16
 */
export async function writeTinyBertModel(dir: string, name = 'tiny-minilm', hidden = 16, seed = 7): Promise<string> {
  const out = path.join(dir, name);
  await mkdir(path.join(out, 'onnx'), { recursive: true });
  const tokenizer = minilmTokenizerDir();
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) await copyFile(path.join(tokenizer, f), path.join(out, f));
  const config = JSON.parse(await readFile(path.join(tokenizer, 'config.json'), 'utf8')) as Record<string, unknown>;
  const vocab = Number(config['vocab_size']);
  await writeFile(path.join(out, 'config.json'), JSON.stringify({ ...config, hidden_size: hidden, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: hidden }));

  const F = onnx.TensorProto.DataType.FLOAT;
  const I = onnx.TensorProto.DataType.INT64;
  const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto => ({ opType, input, output, attribute, name: output[0]! });
  const graph: onnx.IGraphProto = {
    name: 'tiny_bert',
    initializer: [
      tensor('word_emb', [vocab, hidden], random(vocab * hidden, seed, 1)),
      tensor('type_emb', [2, hidden], random(2 * hidden, seed + 1, 0.1)),
      tensor('w', [hidden, hidden], random(hidden * hidden, seed + 2, 0.5)),
      tensor('b', [hidden], random(hidden, seed + 3, 0.1)),
      tensor('axes', [1], [-1], I),
    ],
    node: [
      node('Gather', ['word_emb', 'input_ids'], ['we'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
      node('Gather', ['type_emb', 'token_type_ids'], ['te'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
      node('Add', ['we', 'te'], ['emb']),
      node('MatMul', ['emb', 'w'], ['mm']),
      node('Add', ['mm', 'b'], ['pre']),
      node('Tanh', ['pre'], ['act']),
      node('Cast', ['attention_mask'], ['maskf'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: F }]),
      node('Unsqueeze', ['maskf', 'axes'], ['mask3']),
      node('Mul', ['act', 'mask3'], ['last_hidden_state']),
    ],
    input: [io('input_ids', I, ['batch', 'seq']), io('attention_mask', I, ['batch', 'seq']), io('token_type_ids', I, ['batch', 'seq'])],
    output: [io('last_hidden_state', F, ['batch', 'seq', hidden])],
  };
  const model = onnx.ModelProto.encode({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], producerName: 'argus-test', graph }).finish();
  await writeFile(path.join(out, 'onnx', 'model.onnx'), model);
  return out;
}
