"""DeepTriage scoring bundle: the engine's encoding, reproduced exactly, in front of its ONNX model.

Needs numpy and onnxruntime only. See the bundle's README.md.
"""
from .bundle import FORMAT, SCORER_VERSION, SUPPORTED_FORMAT_VERSIONS, Bundle, BundleError, load

__all__ = ["Bundle", "BundleError", "load", "FORMAT", "SCORER_VERSION", "SUPPORTED_FORMAT_VERSIONS"]
