;; The element-wise work of a training step that tf.js does slowly, as 128-bit SIMD loops over the tf.js
;; wasm backend's own heap (the memory is imported from it, so tensors are read and written where tf.js
;; keeps them: no copies): Adam's update, the replicas' shard sum, dropout masks.
;; Source of step-kernels-bytes.ts: `node scripts/build-wasm.mjs` assembles it (wabt); a unit test checks
;; the embedded bytes are this file's.
;;
;; Why hand-written wasm: in JavaScript Adam is a scalar float64 loop whose sqrt and division cost ~6 ns per
;; parameter (a fifth of a dnn5 step), and a dropout mask ~3–9 ns per value plus an upload; f32x4 does four
;; at once in place. No npm package offers these over a foreign wasm heap.
(module
  (import "env" "memory" (memory 1))

  ;; m = b1·m + a1·g;  v = b2·v + a2·g²;  out = w − lr·m / (sqrt(c2·v) + eps), for n floats.
  ;; Pointers are byte offsets in the heap; out may equal w.
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $n i32)
    (param $b1 f32) (param $a1 f32) (param $b2 f32) (param $a2 f32) (param $lr f32) (param $c2 f32) (param $eps f32)
    (local $i i32) (local $end4 i32) (local $o i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1v v128) (local $a1v v128) (local $b2v v128) (local $a2v v128) (local $lrv v128) (local $c2v v128) (local $epsv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $b1v (f32x4.splat (local.get $b1)))
    (local.set $a1v (f32x4.splat (local.get $a1)))
    (local.set $b2v (f32x4.splat (local.get $b2)))
    (local.set $a2v (f32x4.splat (local.get $a2)))
    (local.set $lrv (f32x4.splat (local.get $lr)))
    (local.set $c2v (f32x4.splat (local.get $c2)))
    (local.set $epsv (f32x4.splat (local.get $eps)))
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $o))) (local.get $b1v))
            (f32x4.mul (local.get $gv) (local.get $a1v))))
        (local.set $vv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $o))) (local.get $b2v))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $a2v))))
        (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mv))
        (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vv))
        (v128.store (i32.add (local.get $out) (local.get $o))
          (f32x4.sub
            (v128.load (i32.add (local.get $w) (local.get $o)))
            (f32x4.div
              (f32x4.mul (local.get $lrv) (local.get $mv))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vv) (local.get $c2v))) (local.get $epsv)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next4)))
    ;; the last n mod 4 values, one at a time
    (block $done1
      (loop $next1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
        (local.set $ms
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $o))) (local.get $b1))
            (f32.mul (local.get $gs) (local.get $a1))))
        (local.set $vs
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $o))) (local.get $b2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $a2))))
        (f32.store (i32.add (local.get $m) (local.get $o)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $o)) (local.get $vs))
        (f32.store (i32.add (local.get $out) (local.get $o))
          (f32.sub
            (f32.load (i32.add (local.get $w) (local.get $o)))
            (f32.div
              (f32.mul (local.get $lr) (local.get $ms))
              (f32.add (f32.sqrt (f32.mul (local.get $vs) (local.get $c2))) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next1))))

  ;; dst += src, for n floats (the replicas' gradient shards, summed in replica order).
  (func (export "addInto") (param $dst i32) (param $src i32) (param $n i32)
    (local $i i32) (local $end4 i32) (local $o i32)
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (v128.store (i32.add (local.get $dst) (local.get $o))
          (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $o))) (v128.load (i32.add (local.get $src) (local.get $o)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next4)))
    (block $done1
      (loop $next1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (f32.store (i32.add (local.get $dst) (local.get $o))
          (f32.add (f32.load (i32.add (local.get $dst) (local.get $o))) (f32.load (i32.add (local.get $src) (local.get $o)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next1))))

  ;; Inverted-dropout multipliers: out[i] = 0 where a draw falls below the cut, else keep (= 1 / (1 − rate)).
  ;; Four xorshift32 streams, one per lane, from the caller's four non-zero seeds; a draw is compared as a
  ;; signed integer with its sign bit flipped, so `cut` = rate × 2^32 − 2^31.
  (func (export "dropoutMask") (param $out i32) (param $n i32) (param $cut i32) (param $keep f32)
    (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32)
    (local $i i32) (local $end4 i32) (local $x v128) (local $cutv v128) (local $keepv v128) (local $flip v128)
    (local $xs i32)
    (local.set $x (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1 (i32x4.splat (local.get $s0)) (local.get $s1)) (local.get $s2)) (local.get $s3)))
    (local.set $cutv (i32x4.splat (local.get $cut)))
    (local.set $keepv (f32x4.splat (local.get $keep)))
    (local.set $flip (i32x4.splat (i32.const 0x80000000)))
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $x (v128.xor (local.get $x) (i32x4.shl (local.get $x) (i32.const 13))))
        (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 17))))
        (local.set $x (v128.xor (local.get $x) (i32x4.shl (local.get $x) (i32.const 5))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (v128.andnot (local.get $keepv) (i32x4.lt_s (v128.xor (local.get $x) (local.get $flip)) (local.get $cutv))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next4)))
    (local.set $xs (local.get $s0))
    (block $done1
      (loop $next1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $xs (i32.xor (local.get $xs) (i32.shl (local.get $xs) (i32.const 13))))
        (local.set $xs (i32.xor (local.get $xs) (i32.shr_u (local.get $xs) (i32.const 17))))
        (local.set $xs (i32.xor (local.get $xs) (i32.shl (local.get $xs) (i32.const 5))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (select (f32.const 0) (local.get $keep) (i32.lt_s (i32.xor (local.get $xs) (i32.const 0x80000000)) (local.get $cut))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next1)))))
