;; glmjs's SIMD kernels for decoding, run on tfjs's wasm heap: the module imports tfjs's own
;; memory and keeps nothing of its own (no data, no stack, no globals), so every pointer is a
;; byte offset of a tensor tfjs allocated. Built into kernels-wasm.generated.ts by
;; scripts/build-simd-kernels.mjs; the import line below is rewritten for the threaded build's
;; shared memory. Vector paths need lengths that are multiples of 4 (the callers check).
(module
  (import "env" "memory" (memory 1))

  ;; Sum of the four lanes.
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; e^x per lane (pmin/pmax: one instruction each, where min/max are long NaN-exact sequences): x clamped to [-87, 88], x = n·ln2 + r with |r| ≤ ln2/2, e^r by its degree-6
  ;; Taylor polynomial (relative error below 3e-7), times 2^n built in the exponent bits.
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.pmax (f32x4.pmin (local.get $x) (f32x4.splat (f32.const 88))) (f32x4.splat (f32.const -87))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
        (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 0.001388888888888889)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.008333333333333333))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.041666666666666664))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.16666666666666666))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; LayerNorm of `rows` rows of `cols` floats (cols % 4 == 0): biased variance, eps inside the root.
  (func (export "layer_norm") (param $x i32) (param $gamma i32) (param $beta i32) (param $out i32) (param $rows i32) (param $cols i32) (param $eps f32)
    (local $r i32) (local $i i32) (local $end i32) (local $acc v128) (local $d v128) (local $mean v128) (local $rstd v128) (local $n f32)
    (local.set $n (f32.convert_i32_u (local.get $cols)))
    (local.set $end (i32.shl (local.get $cols) (i32.const 2)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $b1 (loop $l1
          (br_if $b1 (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $x) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $l1)))
        (local.set $mean (f32x4.splat (f32.div (call $hsum (local.get $acc)) (local.get $n))))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $b2 (loop $l2
          (br_if $b2 (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $d (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $mean)))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $d) (local.get $d))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $l2)))
        (local.set $rstd (f32x4.splat (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.div (call $hsum (local.get $acc)) (local.get $n)) (local.get $eps))))))
        (local.set $i (i32.const 0))
        (block $b3 (loop $l3
          (br_if $b3 (i32.ge_u (local.get $i) (local.get $end)))
          (v128.store (i32.add (local.get $out) (local.get $i))
            (f32x4.add
              (f32x4.mul
                (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $mean)) (local.get $rstd))
                (v128.load (i32.add (local.get $gamma) (local.get $i))))
              (v128.load (i32.add (local.get $beta) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $l3)))
        (local.set $x (i32.add (local.get $x) (local.get $end)))
        (local.set $out (i32.add (local.get $out) (local.get $end)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; In place over n floats (n % 4 == 0): x·σ(2u), 2u = x·(2c + 2c·0.044715·x²), c = √(2/π) (tanh GELU).
  (func (export "gelu_tanh") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128) (local $u v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $u (f32x4.mul (local.get $x)
        (f32x4.add (f32x4.mul (f32x4.mul (local.get $x) (local.get $x)) (f32x4.splat (f32.const 0.07135481627260025)))
                   (f32x4.splat (f32.const 1.5957691216057308)))))
      (v128.store (local.get $p)
        (f32x4.div (local.get $x) (f32x4.add (f32x4.splat (f32.const 1)) (call $exp4 (f32x4.neg (local.get $u))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next))))

  ;; In place over n floats (n % 4 == 0): 0.5·x·(1 + erf(x/√2)), erf by Abramowitz & Stegun 7.1.26.
  (func (export "gelu_erf") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128) (local $z v128) (local $a v128) (local $t v128) (local $poly v128) (local $erf v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $z (f32x4.mul (local.get $x) (f32x4.splat (f32.const 0.7071067811865476))))
      (local.set $a (f32x4.abs (local.get $z)))
      (local.set $t (f32x4.div (f32x4.splat (f32.const 1))
        (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $a) (f32x4.splat (f32.const 0.3275911))))))
      (local.set $poly (f32x4.splat (f32.const 1.061405429)))
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (f32x4.splat (f32.const -1.453152027))))
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (f32x4.splat (f32.const 1.421413741))))
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (f32x4.splat (f32.const -0.284496736))))
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (f32x4.splat (f32.const 0.254829592))))
      (local.set $poly (f32x4.mul (local.get $poly) (local.get $t)))
      (local.set $erf (f32x4.sub (f32x4.splat (f32.const 1))
        (f32x4.mul (local.get $poly) (call $exp4 (f32x4.neg (f32x4.mul (local.get $a) (local.get $a)))))))
      ;; erf has the sign of z.
      (local.set $erf (v128.bitselect (f32x4.neg (local.get $erf)) (local.get $erf) (f32x4.lt (local.get $z) (v128.const f32x4 0 0 0 0))))
      (v128.store (local.get $p)
        (f32x4.mul (f32x4.mul (local.get $x) (f32x4.splat (f32.const 0.5))) (f32x4.add (local.get $erf) (f32x4.splat (f32.const 1)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next))))

  ;; out[i] += other[i] for n floats (n % 4 == 0).
  (func (export "add_in_place") (param $out i32) (param $other i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store (local.get $out) (f32x4.add (v128.load (local.get $out)) (v128.load (local.get $other))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $other (i32.add (local.get $other) (i32.const 16)))
      (br $next))))

  ;; Writes the step's keys (÷ keyDivisor) and values from qkv [batch·seq, 3·hidden] into the
  ;; caches [batch, heads, capacity, d] at position `at` (d % 4 == 0).
  (func $write_kv (param $qkv i32) (param $keys i32) (param $values i32) (param $batch i32) (param $seq i32) (param $heads i32) (param $d i32) (param $capacity i32) (param $at i32) (param $divisor v128)
    (local $b i32) (local $s i32) (local $h i32) (local $e i32) (local $row i32) (local $dst i32) (local $hidden4 i32) (local $d4 i32) (local $k i32) (local $v i32)
    (local.set $d4 (i32.shl (local.get $d) (i32.const 2)))
    (local.set $hidden4 (i32.mul (local.get $heads) (local.get $d4)))
    (local.set $b (i32.const 0))
    (block $bd (loop $bl
      (br_if $bd (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $s (i32.const 0))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_u (local.get $s) (local.get $seq)))
        (local.set $row (i32.add (local.get $qkv)
          (i32.mul (i32.add (i32.mul (local.get $b) (local.get $seq)) (local.get $s)) (i32.mul (local.get $hidden4) (i32.const 3)))))
        (local.set $h (i32.const 0))
        (block $hd (loop $hl
          (br_if $hd (i32.ge_u (local.get $h) (local.get $heads)))
          (local.set $dst (i32.mul
            (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $heads)) (local.get $h)) (local.get $capacity))
                     (i32.add (local.get $at) (local.get $s)))
            (local.get $d4)))
          (local.set $k (i32.add (local.get $row) (i32.add (local.get $hidden4) (i32.mul (local.get $h) (local.get $d4)))))
          (local.set $v (i32.add (local.get $k) (local.get $hidden4)))
          (local.set $e (i32.const 0))
          (block $ed (loop $el
            (br_if $ed (i32.ge_u (local.get $e) (local.get $d4)))
            (v128.store (i32.add (local.get $keys) (i32.add (local.get $dst) (local.get $e)))
              (f32x4.div (v128.load (i32.add (local.get $k) (local.get $e))) (local.get $divisor)))
            (v128.store (i32.add (local.get $values) (i32.add (local.get $dst) (local.get $e)))
              (v128.load (i32.add (local.get $v) (local.get $e))))
            (local.set $e (i32.add (local.get $e) (i32.const 16)))
            (br $el)))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br $hl)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $sl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bl))))

  ;; One query row against `total` keys at `kbase`/`vbase` (d % 4 == 0): scores into `scratch`
  ;; (total floats, rounded up to 4), masked as s·m + (1 − m)·(−65504) when `mask` ≠ 0, softmax,
  ;; then out[0, d) = Σ p_j·v_j.
  (func $attend_row (param $q i32) (param $kbase i32) (param $vbase i32) (param $mask i32) (param $out i32) (param $scratch i32) (param $total i32) (param $d4 i32)
    (local $j i32) (local $e i32) (local $acc v128) (local $score f32) (local $m f32) (local $max f32) (local $sum f32) (local $p v128) (local $k i32) (local $end i32)
    (local.set $max (f32.const -inf))
    (local.set $k (local.get $kbase))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $total)))
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (local.set $e (i32.const 0))
      (block $ed (loop $el
        (br_if $ed (i32.ge_u (local.get $e) (local.get $d4)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (i32.add (local.get $q) (local.get $e))) (v128.load (i32.add (local.get $k) (local.get $e))))))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $el)))
      (local.set $score (call $hsum (local.get $acc)))
      (if (local.get $mask) (then
        (local.set $m (f32.load (i32.add (local.get $mask) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $score (f32.add (f32.mul (local.get $score) (local.get $m))
          (f32.mul (f32.sub (f32.const 1) (local.get $m)) (f32.const -65504))))))
      (f32.store (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 2))) (local.get $score))
      (local.set $max (f32.max (local.get $max) (local.get $score)))
      (local.set $k (i32.add (local.get $k) (local.get $d4)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl)))
    ;; exp(score − max) over the scores (4 at a time: the scratch is padded), then their sum.
    (local.set $p (f32x4.splat (local.get $max)))
    (local.set $end (i32.add (local.get $scratch) (i32.shl (local.get $total) (i32.const 2))))
    (local.set $k (local.get $scratch))
    (block $xd (loop $xl
      (br_if $xd (i32.ge_u (local.get $k) (local.get $end)))
      (v128.store (local.get $k) (call $exp4 (f32x4.sub (v128.load (local.get $k)) (local.get $p))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $xl)))
    (local.set $sum (f32.const 0))
    (local.set $k (local.get $scratch))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $sum (f32.add (local.get $sum) (f32.load (local.get $k))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $sl)))
    ;; out = Σ (e_j / sum)·v_j
    (local.set $e (i32.const 0))
    (block $zd (loop $zl
      (br_if $zd (i32.ge_u (local.get $e) (local.get $d4)))
      (v128.store (i32.add (local.get $out) (local.get $e)) (v128.const f32x4 0 0 0 0))
      (local.set $e (i32.add (local.get $e) (i32.const 16)))
      (br $zl)))
    (local.set $j (i32.const 0))
    (local.set $k (local.get $vbase))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $j) (local.get $total)))
      (local.set $p (f32x4.splat (f32.div (f32.load (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 2)))) (local.get $sum))))
      (local.set $e (i32.const 0))
      (block $ad (loop $al
        (br_if $ad (i32.ge_u (local.get $e) (local.get $d4)))
        (v128.store (i32.add (local.get $out) (local.get $e))
          (f32x4.add (v128.load (i32.add (local.get $out) (local.get $e)))
            (f32x4.mul (local.get $p) (v128.load (i32.add (local.get $k) (local.get $e))))))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $al)))
      (local.set $k (i32.add (local.get $k) (local.get $d4)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $vl))))

  ;; GlmCachedAttention: writes the step's keys/values at start + length, then every query of
  ;; qkv attends over the window [start, start + length + seq). `mask` 0 = no mask, else
  ;; [batch, 1, maskRows, length + seq]. `scratch` holds length + seq floats rounded up to 4.
  (func (export "cached_attention")
    (param $qkv i32) (param $keys i32) (param $values i32) (param $mask i32) (param $maskRows i32) (param $out i32) (param $scratch i32)
    (param $batch i32) (param $seq i32) (param $heads i32) (param $d i32) (param $capacity i32) (param $start i32) (param $length i32) (param $divisor f32)
    (local $b i32) (local $h i32) (local $s i32) (local $total i32) (local $d4 i32) (local $hidden4 i32) (local $base i32) (local $maskRow i32)
    (call $write_kv (local.get $qkv) (local.get $keys) (local.get $values) (local.get $batch) (local.get $seq) (local.get $heads) (local.get $d)
      (local.get $capacity) (i32.add (local.get $start) (local.get $length)) (f32x4.splat (local.get $divisor)))
    (local.set $total (i32.add (local.get $length) (local.get $seq)))
    (local.set $d4 (i32.shl (local.get $d) (i32.const 2)))
    (local.set $hidden4 (i32.mul (local.get $heads) (local.get $d4)))
    (block $bd (loop $bl
      (br_if $bd (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $h (i32.const 0))
      (block $hd (loop $hl
        (br_if $hd (i32.ge_u (local.get $h) (local.get $heads)))
        (local.set $base (i32.mul
          (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $heads)) (local.get $h)) (local.get $capacity)) (local.get $start))
          (local.get $d4)))
        (local.set $s (i32.const 0))
        (block $sd (loop $sl
          (br_if $sd (i32.ge_u (local.get $s) (local.get $seq)))
          (local.set $maskRow (i32.const 0))
          (if (local.get $mask) (then
            (local.set $maskRow (i32.add (local.get $mask)
              (i32.shl
                (i32.mul
                  (i32.add (i32.mul (local.get $b) (local.get $maskRows)) (select (i32.const 0) (local.get $s) (i32.eq (local.get $maskRows) (i32.const 1))))
                  (local.get $total))
                (i32.const 2))))))
          (call $attend_row
            (i32.add (local.get $qkv) (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $seq)) (local.get $s)) (i32.mul (local.get $hidden4) (i32.const 3)))
                                               (i32.mul (local.get $h) (local.get $d4))))
            (i32.add (local.get $keys) (local.get $base))
            (i32.add (local.get $values) (local.get $base))
            (local.get $maskRow)
            (i32.add (local.get $out) (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $seq)) (local.get $s)) (local.get $hidden4))
                                               (i32.mul (local.get $h) (local.get $d4))))
            (local.get $scratch) (local.get $total) (local.get $d4))
          (local.set $s (i32.add (local.get $s) (i32.const 1)))
          (br $sl)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $hl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bl))))

  ;; ArgMax over the last axis: for each of `rows` rows of `cols` floats (cols % 4 == 0, cols ≥ 4)
  ;; the index of the largest value, the first one among equals (as tfjs's kernels: a value
  ;; replaces the maximum only when greater), written as an int32 to out[row]. Two passes that
  ;; run at load speed: the maximum (four independent pmax accumulators, NaNs skipped), then the
  ;; first index holding it. A row starting with a NaN (no element equals the NaN maximum) takes
  ;; the scalar loop, which gives tfjs's answer.
  (func (export "argmax_rows") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $i i32) (local $end i32) (local $end16 i32) (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local $best f32) (local $found i32) (local $eq v128) (local $j i32) (local $v f32)
    (local.set $end (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end16 (i32.and (local.get $end) (i32.const -64)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $m0 (v128.load (local.get $x)))
      (local.set $m1 (local.get $m0))
      (local.set $m2 (local.get $m0))
      (local.set $m3 (local.get $m0))
      (local.set $i (i32.const 0))
      (block $bd (loop $bl
        (br_if $bd (i32.ge_u (local.get $i) (local.get $end16)))
        (local.set $m0 (f32x4.pmax (local.get $m0) (v128.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $m1 (f32x4.pmax (local.get $m1) (v128.load offset=16 (i32.add (local.get $x) (local.get $i)))))
        (local.set $m2 (f32x4.pmax (local.get $m2) (v128.load offset=32 (i32.add (local.get $x) (local.get $i)))))
        (local.set $m3 (f32x4.pmax (local.get $m3) (v128.load offset=48 (i32.add (local.get $x) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $bl)))
      (block $td (loop $tl
        (br_if $td (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $m0 (f32x4.pmax (local.get $m0) (v128.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $tl)))
      ;; pmax keeps a NaN only where it started a lane (the row's first four values): then the
      ;; maximum is NaN and the scalar loop decides.
      (local.set $m0 (f32x4.pmax (f32x4.pmax (local.get $m0) (local.get $m1)) (f32x4.pmax (local.get $m2) (local.get $m3))))
      (local.set $best (f32.max
        (f32.max (f32x4.extract_lane 0 (local.get $m0)) (f32x4.extract_lane 1 (local.get $m0)))
        (f32.max (f32x4.extract_lane 2 (local.get $m0)) (f32x4.extract_lane 3 (local.get $m0)))))
      ;; The first position holding the maximum.
      (local.set $found (i32.const -1))
      (local.set $m1 (f32x4.splat (local.get $best)))
      (local.set $i (i32.const 0))
      (block $fd (loop $fl
        (br_if $fd (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $eq (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $m1)))
        (if (v128.any_true (local.get $eq)) (then
          (local.set $j (i32.shr_u (local.get $i) (i32.const 2)))
          (local.set $found
            (select (local.get $j)
              (select (i32.add (local.get $j) (i32.const 1))
                (select (i32.add (local.get $j) (i32.const 2)) (i32.add (local.get $j) (i32.const 3)) (i32x4.extract_lane 2 (local.get $eq)))
                (i32x4.extract_lane 1 (local.get $eq)))
              (i32x4.extract_lane 0 (local.get $eq))))
          (br $fd)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $fl)))
      ;; A NaN made the maximum NaN: the scalar rule (replace only when greater) over the row.
      (if (i32.lt_s (local.get $found) (i32.const 0)) (then
        (local.set $found (i32.const 0))
        (local.set $best (f32.load (local.get $x)))
        (local.set $j (i32.const 1))
        (block $sd (loop $sl
          (br_if $sd (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $v (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))
          (if (f32.gt (local.get $v) (local.get $best)) (then (local.set $best (local.get $v)) (local.set $found (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $sl)))))
      (i32.store (local.get $out) (local.get $found))
      (local.set $x (i32.add (local.get $x) (local.get $end)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))
)
