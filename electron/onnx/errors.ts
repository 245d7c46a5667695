/** A model the exporter cannot express exactly in ONNX; the message names the layer. Callers fall back to tf.js. */
export class OnnxExportError extends Error {}
