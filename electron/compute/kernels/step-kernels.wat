;; The element-wise work of a training step that tf.js does slowly, as 128-bit SIMD loops over the tf.js
;; wasm backend's own heap (the memory is imported from it, so tensors are read and written where tf.js
;; keeps them: no copies): Adam's update, the replicas' shard sum, dropout masks, and the gate arithmetic of
;; the one-step recurrent layers, tiles along one axis, unpacks and a one-row max-pool gradient.
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
        (br $next1))))
  ;; ---- One recurrent step from a zero state (models/lib/one-step-cell.ts): the gate arithmetic over
  ;; z = x·W + b [rows, gates·u], forward and backward. Activation codes: 0 linear, 1 tanh, 2 sigmoid,
  ;; 3 hardSigmoid, 4 relu. u must be a multiple of 4 (the caller keeps its JavaScript loop otherwise).
  ;; The forward pass writes h and, per unit, the products the backward pass multiplies dh by (planes of
  ;; rows·u floats in `keep`), so the backward pass is one multiply per gate.

  ;; tanh as Eigen's float kernels compute it (generic_fast_tanh_float: a 13/6 rational on [-7.9, 7.9],
  ;; x itself below 4e-4), the same approximation as the JavaScript loop; a few ulp from the exact value.
  (func $tanh (param $x v128) (result v128)
    (local $c v128) (local $x2 v128) (local $p v128) (local $q v128)
    (local.set $c (f32x4.max (f32x4.min (local.get $x) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
    (local.set $x2 (f32x4.mul (local.get $c) (local.get $c)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (v128.const f32x4 5.12229709037114e-8 5.12229709037114e-8 5.12229709037114e-8 5.12229709037114e-8)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (v128.const f32x4 1.48572235717979e-5 1.48572235717979e-5 1.48572235717979e-5 1.48572235717979e-5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (v128.const f32x4 6.37261928875436e-4 6.37261928875436e-4 6.37261928875436e-4 6.37261928875436e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p)) (v128.const f32x4 4.89352455891786e-3 4.89352455891786e-3 4.89352455891786e-3 4.89352455891786e-3)))
    (local.set $p (f32x4.mul (local.get $c) (local.get $p)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (v128.const f32x4 1.19825839466702e-6 1.19825839466702e-6 1.19825839466702e-6 1.19825839466702e-6)) (v128.const f32x4 1.18534705686654e-4 1.18534705686654e-4 1.18534705686654e-4 1.18534705686654e-4)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (local.get $q)) (v128.const f32x4 2.268434632439e-3 2.268434632439e-3 2.268434632439e-3 2.268434632439e-3)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (local.get $q)) (v128.const f32x4 4.89352518554385e-3 4.89352518554385e-3 4.89352518554385e-3 4.89352518554385e-3)))
    (v128.bitselect (local.get $x) (f32x4.div (local.get $p) (local.get $q))
      (f32x4.lt (f32x4.abs (local.get $x)) (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))))

  ;; hardSigmoid's pre-clip value as tf.js rounds it: 0.2·x, then + 0.5.
  (func $hardPre (param $x v128) (result v128)
    (f32x4.add (f32x4.mul (local.get $x) (v128.const f32x4 0.2 0.2 0.2 0.2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))

  (func $act (param $x v128) (param $code i32) (result v128)
    (if (result v128) (i32.eq (local.get $code) (i32.const 1))
      (then (call $tanh (local.get $x)))
      (else (if (result v128) (i32.eq (local.get $code) (i32.const 3))
        (then (f32x4.min (f32x4.max (call $hardPre (local.get $x)) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))
        ;; sigmoid(x) = 0.5 + 0.5·tanh(x / 2)
        (else (if (result v128) (i32.eq (local.get $code) (i32.const 2))
          (then (f32x4.add (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5) (call $tanh (f32x4.mul (local.get $x) (v128.const f32x4 0.5 0.5 0.5 0.5))))))
          (else (if (result v128) (i32.eq (local.get $code) (i32.const 4))
            (then (f32x4.max (local.get $x) (v128.const f32x4 0 0 0 0)))
            (else (local.get $x))))))))))

  ;; The derivative at pre-activation x with value y, as tf.js' gradients compute it (the clip's gradient
  ;; passes at its ends included).
  (func $dact (param $x v128) (param $y v128) (param $code i32) (result v128)
    (local $t v128)
    (if (result v128) (i32.eq (local.get $code) (i32.const 1))
      (then (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $y) (local.get $y))))
      (else (if (result v128) (i32.eq (local.get $code) (i32.const 3))
        (then
          (local.set $t (call $hardPre (local.get $x)))
          (v128.and (v128.const f32x4 0.2 0.2 0.2 0.2) (v128.and (f32x4.ge (local.get $t) (v128.const f32x4 0 0 0 0)) (f32x4.le (local.get $t) (v128.const f32x4 1 1 1 1)))))
        (else (if (result v128) (i32.eq (local.get $code) (i32.const 2))
          (then (f32x4.mul (local.get $y) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $y))))
          (else (if (result v128) (i32.eq (local.get $code) (i32.const 4))
            (then (v128.and (v128.const f32x4 1 1 1 1) (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))))
            (else (v128.const f32x4 1 1 1 1))))))))))

  ;; LSTM, z blocks [i f c o]: c = i·g (f·c0 = 0), h = o·act(c). keep planes: dz_i/dh = o·t'·g·i',
  ;; dz_c/dh = o·t'·i·g', dz_o/dh = t·o' (t = act(c)); the forget gate has no gradient.
  (func (export "lstmForward") (param $z i32) (param $h i32) (param $keep i32) (param $rows i32) (param $u i32)
    (param $act i32) (param $rec i32)
    (local $ub i32) (local $plane i32) (local $zr i32) (local $zend i32) (local $k i32) (local $o i32) (local $j i32)
    (local $zi v128) (local $zc v128) (local $zo v128) (local $i v128) (local $g v128) (local $og v128)
    (local $c v128) (local $t v128) (local $ot v128)
    (local.set $ub (i32.shl (local.get $u) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $rows) (local.get $ub)))
    (local.set $zr (local.get $z))
    (local.set $zend (i32.add (local.get $z) (i32.shl (local.get $plane) (i32.const 2))))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $zr) (local.get $zend)))
        (local.set $k (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $k) (local.get $ub)))
            (local.set $o (i32.add (local.get $zr) (local.get $k)))
            (local.set $zi (v128.load (local.get $o)))
            (local.set $zc (v128.load (i32.add (local.get $o) (i32.shl (local.get $ub) (i32.const 1)))))
            (local.set $zo (v128.load (i32.add (local.get $o) (i32.mul (local.get $ub) (i32.const 3)))))
            (local.set $i (call $act (local.get $zi) (local.get $rec)))
            (local.set $g (call $act (local.get $zc) (local.get $act)))
            (local.set $og (call $act (local.get $zo) (local.get $rec)))
            (local.set $c (f32x4.mul (local.get $i) (local.get $g)))
            (local.set $t (call $act (local.get $c) (local.get $act)))
            (local.set $ot (f32x4.mul (local.get $og) (call $dact (local.get $c) (local.get $t) (local.get $act))))
            (v128.store (i32.add (local.get $h) (local.get $j)) (f32x4.mul (local.get $og) (local.get $t)))
            (v128.store (i32.add (local.get $keep) (local.get $j))
              (f32x4.mul (f32x4.mul (local.get $ot) (local.get $g)) (call $dact (local.get $zi) (local.get $i) (local.get $rec))))
            (v128.store (i32.add (i32.add (local.get $keep) (local.get $plane)) (local.get $j))
              (f32x4.mul (f32x4.mul (local.get $ot) (local.get $i)) (call $dact (local.get $zc) (local.get $g) (local.get $act))))
            (v128.store (i32.add (i32.add (local.get $keep) (i32.shl (local.get $plane) (i32.const 1))) (local.get $j))
              (f32x4.mul (local.get $t) (call $dact (local.get $zo) (local.get $og) (local.get $rec))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $col)))
        (local.set $zr (i32.add (local.get $zr) (i32.shl (local.get $ub) (i32.const 2))))
        (br $row))))

  ;; GRU, z blocks [z r h]: h = (1 − z)·act(z_h) (the reset gate multiplies h0 = 0). keep planes:
  ;; dz_z/dh = −act(z_h)·z', dz_h/dh = (1 − z)·act'; the reset gate has no gradient.
  (func (export "gruForward") (param $z i32) (param $h i32) (param $keep i32) (param $rows i32) (param $u i32)
    (param $act i32) (param $rec i32)
    (local $ub i32) (local $plane i32) (local $zr i32) (local $zend i32) (local $k i32) (local $o i32) (local $j i32)
    (local $zz v128) (local $zh v128) (local $zg v128) (local $hh v128) (local $one v128)
    (local.set $ub (i32.shl (local.get $u) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $rows) (local.get $ub)))
    (local.set $zr (local.get $z))
    (local.set $zend (i32.add (local.get $z) (i32.mul (local.get $plane) (i32.const 3))))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $zr) (local.get $zend)))
        (local.set $k (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $k) (local.get $ub)))
            (local.set $o (i32.add (local.get $zr) (local.get $k)))
            (local.set $zz (v128.load (local.get $o)))
            (local.set $zh (v128.load (i32.add (local.get $o) (i32.shl (local.get $ub) (i32.const 1)))))
            (local.set $zg (call $act (local.get $zz) (local.get $rec)))
            (local.set $hh (call $act (local.get $zh) (local.get $act)))
            (local.set $one (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $zg)))
            (v128.store (i32.add (local.get $h) (local.get $j)) (f32x4.mul (local.get $one) (local.get $hh)))
            (v128.store (i32.add (local.get $keep) (local.get $j))
              (f32x4.neg (f32x4.mul (local.get $hh) (call $dact (local.get $zz) (local.get $zg) (local.get $rec)))))
            (v128.store (i32.add (i32.add (local.get $keep) (local.get $plane)) (local.get $j))
              (f32x4.mul (local.get $one) (call $dact (local.get $zh) (local.get $hh) (local.get $act))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $col)))
        (local.set $zr (i32.add (local.get $zr) (i32.mul (local.get $ub) (i32.const 3))))
        (br $row))))

  ;; SimpleRNN: h = act(z); keep: act'.
  (func (export "simpleForward") (param $z i32) (param $h i32) (param $keep i32) (param $rows i32) (param $u i32)
    (param $act i32)
    (local $j i32) (local $end i32) (local $x v128) (local $y v128)
    (local.set $end (i32.mul (local.get $rows) (i32.shl (local.get $u) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $z) (local.get $j))))
        (local.set $y (call $act (local.get $x) (local.get $act)))
        (v128.store (i32.add (local.get $h) (local.get $j)) (local.get $y))
        (v128.store (i32.add (local.get $keep) (local.get $j)) (call $dact (local.get $x) (local.get $y) (local.get $act)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $next))))

  ;; dst = dh · plane over `bytes` (a multiple of 16).
  (func $scaled (param $dst i32) (param $dh i32) (param $plane i32) (param $bytes i32)
    (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $bytes)))
        (v128.store (i32.add (local.get $dst) (local.get $k))
          (f32x4.mul (v128.load (i32.add (local.get $dh) (local.get $k))) (v128.load (i32.add (local.get $plane) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $next))))

  ;; dz [rows, gates·u] from dh [rows, u] and the forward pass's planes. gates 4 (LSTM): blocks i, c, o from
  ;; planes 0, 1, 2, f zero; 3 (GRU): z, h from planes 0, 1, r zero; 1 (SimpleRNN): plane 0.
  (func (export "cellBackward") (param $dh i32) (param $keep i32) (param $dz i32) (param $rows i32) (param $u i32)
    (param $gates i32)
    (local $ub i32) (local $plane i32) (local $r i32) (local $p i32) (local $d i32)
    (local.set $ub (i32.shl (local.get $u) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $rows) (local.get $ub)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $p (i32.mul (local.get $r) (local.get $ub)))
        (local.set $d (i32.add (local.get $dz) (i32.mul (local.get $p) (local.get $gates))))
        (call $scaled (local.get $d) (i32.add (local.get $dh) (local.get $p)) (i32.add (local.get $keep) (local.get $p)) (local.get $ub))
        (if (i32.gt_u (local.get $gates) (i32.const 1))
          (then
            (memory.fill (i32.add (local.get $d) (local.get $ub)) (i32.const 0) (local.get $ub))
            (call $scaled (i32.add (local.get $d) (i32.shl (local.get $ub) (i32.const 1))) (i32.add (local.get $dh) (local.get $p))
              (i32.add (i32.add (local.get $keep) (local.get $plane)) (local.get $p)) (local.get $ub))))
        (if (i32.gt_u (local.get $gates) (i32.const 3))
          (then
            (call $scaled (i32.add (local.get $d) (i32.mul (local.get $ub) (i32.const 3))) (i32.add (local.get $dh) (local.get $p))
              (i32.add (i32.add (local.get $keep) (i32.shl (local.get $plane) (i32.const 1))) (local.get $p)) (local.get $ub))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; Tile along one axis: `outer` blocks of `block` bytes from src, each written `reps` times in a row to dst
  ;; (x [a, 1, b] tiled [1, t, 1] is a blocks of 4·b bytes, t times each: a sum over time's gradient).
  (func (export "repeatBlocks") (param $src i32) (param $dst i32) (param $outer i32) (param $block i32) (param $reps i32)
    (local $o i32) (local $r i32)
    (block $done
      (loop $nextOuter
        (br_if $done (i32.ge_u (local.get $o) (local.get $outer)))
        (local.set $r (i32.const 0))
        (block $repsDone
          (loop $nextRep
            (br_if $repsDone (i32.ge_u (local.get $r) (local.get $reps)))
            (memory.copy (local.get $dst) (local.get $src) (local.get $block))
            (local.set $dst (i32.add (local.get $dst) (local.get $block)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $nextRep)))
        (local.set $src (i32.add (local.get $src) (local.get $block)))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (br $nextOuter))))

  ;; Max-pool gradient, one row (NHWC with height 1), windows of `pool` steps that neither overlap nor pad
  ;; (stride = pool, 'valid'): dx gets dy at each window's first maximum and 0 elsewhere, including the steps
  ;; past the last whole window. Channels in fours; tf.js' rule for ties (the first, by strict >).
  (func (export "maxPoolGrad1d") (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inW i32)
    (param $outW i32) (param $ch i32) (param $pool i32)
    (local $rowBytes i32) (local $b i32) (local $o i32) (local $c i32) (local $k i32)
    (local $xBase i32) (local $yBase i32) (local $off i32)
    (local $v v128) (local $maxv v128) (local $pos v128) (local $kv v128) (local $g v128)
    (local.set $rowBytes (i32.shl (local.get $ch) (i32.const 2)))
    (block $bDone
      (loop $bNext
        (br_if $bDone (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $o (i32.const 0))
        (block $oDone
          (loop $oNext
            (br_if $oDone (i32.ge_u (local.get $o) (local.get $outW)))
            ;; byte offsets of this window's first step in x / dx and of its row in dy
            (local.set $xBase (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inW)) (i32.mul (local.get $o) (local.get $pool))) (local.get $rowBytes)))
            (local.set $yBase (i32.mul (i32.add (i32.mul (local.get $b) (local.get $outW)) (local.get $o)) (local.get $rowBytes)))
            (local.set $c (i32.const 0))
            (block $cDone
              (loop $cNext
                (br_if $cDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
                (local.set $maxv (v128.const f32x4 -inf -inf -inf -inf))
                (local.set $pos (v128.const i32x4 -1 -1 -1 -1))
                (local.set $k (i32.const 0))
                (block $kDone
                  (loop $kNext
                    (br_if $kDone (i32.ge_u (local.get $k) (local.get $pool)))
                    (local.set $v (v128.load (i32.add (local.get $x)
                      (i32.add (local.get $xBase) (i32.add (i32.mul (local.get $k) (local.get $rowBytes)) (local.get $c))))))
                    (local.set $g (f32x4.gt (local.get $v) (local.get $maxv)))
                    (local.set $maxv (v128.bitselect (local.get $v) (local.get $maxv) (local.get $g)))
                    (local.set $pos (v128.bitselect (i32x4.splat (local.get $k)) (local.get $pos) (local.get $g)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $kNext)))
                (local.set $g (v128.load (i32.add (local.get $dy) (i32.add (local.get $yBase) (local.get $c)))))
                (local.set $k (i32.const 0))
                (block $wDone
                  (loop $wNext
                    (br_if $wDone (i32.ge_u (local.get $k) (local.get $pool)))
                    (local.set $off (i32.add (local.get $xBase) (i32.add (i32.mul (local.get $k) (local.get $rowBytes)) (local.get $c))))
                    (v128.store (i32.add (local.get $dx) (local.get $off))
                      (v128.and (local.get $g) (i32x4.eq (local.get $pos) (i32x4.splat (local.get $k)))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $wNext)))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $cNext)))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $oNext)))
        ;; the steps past the last whole window
        (local.set $off (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inW)) (i32.mul (local.get $outW) (local.get $pool))) (local.get $rowBytes)))
        (memory.fill (i32.add (local.get $dx) (local.get $off)) (i32.const 0)
          (i32.mul (i32.sub (local.get $inW) (i32.mul (local.get $outW) (local.get $pool))) (local.get $rowBytes)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bNext))))

  ;; `count` blocks of `block` bytes, read every `stride` bytes from src and written back to back at dst (one
  ;; slice of an Unpack: an RNN's input at one time step).
  (func (export "stridedBlocks") (param $src i32) (param $dst i32) (param $count i32) (param $block i32) (param $stride i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (memory.copy (local.get $dst) (local.get $src) (local.get $block))
        (local.set $dst (i32.add (local.get $dst) (local.get $block)))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
)
