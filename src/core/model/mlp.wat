;; The MLP member's passes (mlp.ts): the two products with the wide hidden layer, in float32 SIMD, eight f32x4
;; sums at a time (two rows or two inputs × 16 hidden units); the output layer's logits, the intercepts' gradient
;; and Adam's step. Each sum runs in one fixed order (j, r or h ascending) with no fused multiply-add, so a fit gives
;; the same weights bit for bit on every run (and the same as the JavaScript that did the last three before).
;; Rows are named by a table of byte addresses ($rows: one i32 per row), so the forward pass reads the training
;; rows where they lie, in the batch's shuffled order, without copying; the weight gradient reads them transposed.
(module
  (memory (export "memory") 1)

  ;; out[r·H + h] = act(bias[h] + Σ_j a_r[j] · M[j·H + h]) for r < n, j < J ascending, a_r at $rows[r].
  ;; $mask = 0: act = ReLU. Otherwise act(v) = v where mask[r·H + h] > 0, else 0 (the ReLU's derivative
  ;; at the activations stored at $mask: the backward pass through the hidden layer).
  ;; Two rows at a time, 16 units each: every M vector loaded serves both rows. An odd last row is
  ;; computed twice and stored in the (spare) row after it: the buffers hold one row more than a batch.
  (func (export "dense") (param $rows i32) (param $n i32) (param $J i32) (param $M i32) (param $bias i32) (param $out i32) (param $H i32) (param $mask i32)
    (local $r i32) (local $h0 i32) (local $a0 i32) (local $a1 i32) (local $m i32) (local $aEnd i32) (local $o i32) (local $rowBytes i32)
    (local $s0 v128) (local $s1 v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $h0 (i32.const 0))
        (block $hdone
          (loop $hl
            (br_if $hdone (i32.ge_u (local.get $h0) (local.get $H)))
            (local.set $m (i32.add (local.get $bias) (i32.shl (local.get $h0) (i32.const 2))))
            (local.set $c0 (v128.load offset=0 (local.get $m)))
            (local.set $c1 (v128.load offset=16 (local.get $m)))
            (local.set $c2 (v128.load offset=32 (local.get $m)))
            (local.set $c3 (v128.load offset=48 (local.get $m)))
            (local.set $c4 (local.get $c0))
            (local.set $c5 (local.get $c1))
            (local.set $c6 (local.get $c2))
            (local.set $c7 (local.get $c3))
            (local.set $a0 (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))))
            (local.set $a1 (select (i32.load offset=4 (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))) (local.get $a0)
              (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $n))))
            (local.set $aEnd (i32.add (local.get $a0) (i32.shl (local.get $J) (i32.const 2))))
            (local.set $m (i32.add (local.get $M) (i32.shl (local.get $h0) (i32.const 2))))
            (block $jdone
              (loop $jl
                (br_if $jdone (i32.ge_u (local.get $a0) (local.get $aEnd)))
                (local.set $s0 (f32x4.splat (f32.load (local.get $a0))))
                (local.set $s1 (f32x4.splat (f32.load (local.get $a1))))
                (local.set $w0 (v128.load offset=0 (local.get $m)))
                (local.set $w1 (v128.load offset=16 (local.get $m)))
                (local.set $w2 (v128.load offset=32 (local.get $m)))
                (local.set $w3 (v128.load offset=48 (local.get $m)))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s0) (local.get $w0))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s0) (local.get $w1))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s0) (local.get $w2))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s0) (local.get $w3))))
                (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s1) (local.get $w0))))
                (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s1) (local.get $w1))))
                (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s1) (local.get $w2))))
                (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s1) (local.get $w3))))
                (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
                (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
                (local.set $m (i32.add (local.get $m) (local.get $rowBytes)))
                (br $jl)))
            (local.set $o (i32.add (i32.mul (local.get $r) (local.get $rowBytes)) (i32.shl (local.get $h0) (i32.const 2))))
            (if (i32.eqz (local.get $mask))
              (then
                (local.set $s0 (v128.const f32x4 0 0 0 0))
                (local.set $c0 (f32x4.pmax (local.get $s0) (local.get $c0)))
                (local.set $c1 (f32x4.pmax (local.get $s0) (local.get $c1)))
                (local.set $c2 (f32x4.pmax (local.get $s0) (local.get $c2)))
                (local.set $c3 (f32x4.pmax (local.get $s0) (local.get $c3)))
                (local.set $c4 (f32x4.pmax (local.get $s0) (local.get $c4)))
                (local.set $c5 (f32x4.pmax (local.get $s0) (local.get $c5)))
                (local.set $c6 (f32x4.pmax (local.get $s0) (local.get $c6)))
                (local.set $c7 (f32x4.pmax (local.get $s0) (local.get $c7))))
              (else
                (local.set $m (i32.add (local.get $mask) (local.get $o)))
                (local.set $s0 (v128.const f32x4 0 0 0 0))
                (local.set $c0 (v128.and (local.get $c0) (f32x4.gt (v128.load offset=0 (local.get $m)) (local.get $s0))))
                (local.set $c1 (v128.and (local.get $c1) (f32x4.gt (v128.load offset=16 (local.get $m)) (local.get $s0))))
                (local.set $c2 (v128.and (local.get $c2) (f32x4.gt (v128.load offset=32 (local.get $m)) (local.get $s0))))
                (local.set $c3 (v128.and (local.get $c3) (f32x4.gt (v128.load offset=48 (local.get $m)) (local.get $s0))))
                (local.set $c4 (v128.and (local.get $c4) (f32x4.gt (v128.load offset=0 (i32.add (local.get $m) (local.get $rowBytes))) (local.get $s0))))
                (local.set $c5 (v128.and (local.get $c5) (f32x4.gt (v128.load offset=16 (i32.add (local.get $m) (local.get $rowBytes))) (local.get $s0))))
                (local.set $c6 (v128.and (local.get $c6) (f32x4.gt (v128.load offset=32 (i32.add (local.get $m) (local.get $rowBytes))) (local.get $s0))))
                (local.set $c7 (v128.and (local.get $c7) (f32x4.gt (v128.load offset=48 (i32.add (local.get $m) (local.get $rowBytes))) (local.get $s0))))))
            (local.set $o (i32.add (local.get $out) (local.get $o)))
            (v128.store offset=0 (local.get $o) (local.get $c0))
            (v128.store offset=16 (local.get $o) (local.get $c1))
            (v128.store offset=32 (local.get $o) (local.get $c2))
            (v128.store offset=48 (local.get $o) (local.get $c3))
            (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $o) (local.get $c4))
            (v128.store offset=16 (local.get $o) (local.get $c5))
            (v128.store offset=32 (local.get $o) (local.get $c6))
            (v128.store offset=48 (local.get $o) (local.get $c7))
            (local.set $h0 (i32.add (local.get $h0) (i32.const 16)))
            (br $hl)))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $rl))))

  ;; xT[j·N + r] = a_r[j] for j < J, r < n (a_r at $rows[r]; N = n rounded up to 4): a batch's rows transposed for
  ;; "outer", which then reads each input's column as one contiguous run instead of one float from each of n rows
  ;; scattered over the training set. Four rows × four inputs at a time, transposed in registers: it writes up to 3
  ;; columns past J and N − n rows past n (repeats of the last row) in each column, and reads up to 3 floats past
  ;; a row's end (memory the layout has after it); "outer" reads none of those.
  (func (export "gather") (param $rows i32) (param $n i32) (param $J i32) (param $out i32)
    (local $r i32) (local $j i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $o i32) (local $colBytes i32) (local $last i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $colBytes (i32.shl (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)) (i32.const 2)))
    (local.set $last (i32.sub (local.get $n) (i32.const 1)))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $a0 (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $a1 (i32.load (i32.add (local.get $rows) (i32.shl (select (i32.add (local.get $r) (i32.const 1)) (local.get $last) (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $n))) (i32.const 2)))))
        (local.set $a2 (i32.load (i32.add (local.get $rows) (i32.shl (select (i32.add (local.get $r) (i32.const 2)) (local.get $last) (i32.lt_u (i32.add (local.get $r) (i32.const 2)) (local.get $n))) (i32.const 2)))))
        (local.set $a3 (i32.load (i32.add (local.get $rows) (i32.shl (select (i32.add (local.get $r) (i32.const 3)) (local.get $last) (i32.lt_u (i32.add (local.get $r) (i32.const 3)) (local.get $n))) (i32.const 2)))))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $J)))
            (local.set $v0 (v128.load (local.get $a0)))
            (local.set $v1 (v128.load (local.get $a1)))
            (local.set $v2 (v128.load (local.get $a2)))
            (local.set $v3 (v128.load (local.get $a3)))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
            (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (local.set $o (i32.add (local.get $o) (local.get $colBytes)))
            (v128.store (local.get $o) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (local.set $o (i32.add (local.get $o) (local.get $colBytes)))
            (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (local.set $o (i32.add (local.get $o) (local.get $colBytes)))
            (v128.store (local.get $o) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $o (i32.add (local.get $o) (local.get $colBytes)))
            (local.set $a0 (i32.add (local.get $a0) (i32.const 16)))
            (local.set $a1 (i32.add (local.get $a1) (i32.const 16)))
            (local.set $a2 (i32.add (local.get $a2) (i32.const 16)))
            (local.set $a3 (i32.add (local.get $a3) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jl)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rl))))

  ;; out[j·H + h] = Σ_r xT[j·N + r] · B[r·H + h] for j < J, r < n ascending: a weight gradient (the batch's
  ;; inputs, transposed by "gather", against its back-propagated errors), overwritten, not accumulated.
  ;; Two j at a time, 16 units each: every B vector loaded serves both. The 16 units are the outer loop, so
  ;; their column of B (n × 64 bytes) stays in the first-level cache across every j. With J odd, the last
  ;; j's partner reads the column after it ("gather" writes one) and is not stored.
  (func (export "outer") (param $xT i32) (param $n i32) (param $J i32) (param $B i32) (param $H i32) (param $out i32)
    (local $j i32) (local $h0 i32) (local $b i32) (local $p i32) (local $pEnd i32) (local $o i32) (local $rowBytes i32) (local $colBytes i32)
    (local $s0 v128) (local $s1 v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 2)))
    (local.set $colBytes (i32.shl (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)) (i32.const 2)))
    (block $hdone
      (loop $hl
        (br_if $hdone (i32.ge_u (local.get $h0) (local.get $H)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $J)))
            (local.set $c0 (v128.const f32x4 0 0 0 0))
            (local.set $c1 (local.get $c0))
            (local.set $c2 (local.get $c0))
            (local.set $c3 (local.get $c0))
            (local.set $c4 (local.get $c0))
            (local.set $c5 (local.get $c0))
            (local.set $c6 (local.get $c0))
            (local.set $c7 (local.get $c0))
            (local.set $b (i32.add (local.get $B) (i32.shl (local.get $h0) (i32.const 2))))
            (local.set $p (i32.add (local.get $xT) (i32.mul (local.get $j) (local.get $colBytes))))
            (local.set $pEnd (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
            (block $rdone
              (loop $rl
                (br_if $rdone (i32.ge_u (local.get $p) (local.get $pEnd)))
                (local.set $s0 (f32x4.splat (f32.load (local.get $p))))
                (local.set $s1 (f32x4.splat (f32.load (i32.add (local.get $p) (local.get $colBytes)))))
                (local.set $w0 (v128.load offset=0 (local.get $b)))
                (local.set $w1 (v128.load offset=16 (local.get $b)))
                (local.set $w2 (v128.load offset=32 (local.get $b)))
                (local.set $w3 (v128.load offset=48 (local.get $b)))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s0) (local.get $w0))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s0) (local.get $w1))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s0) (local.get $w2))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s0) (local.get $w3))))
                (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s1) (local.get $w0))))
                (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s1) (local.get $w1))))
                (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s1) (local.get $w2))))
                (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s1) (local.get $w3))))
                (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $rl)))
            (local.set $o (i32.add (local.get $out) (i32.add (i32.mul (local.get $j) (local.get $rowBytes)) (i32.shl (local.get $h0) (i32.const 2)))))
            (v128.store offset=0 (local.get $o) (local.get $c0))
            (v128.store offset=16 (local.get $o) (local.get $c1))
            (v128.store offset=32 (local.get $o) (local.get $c2))
            (v128.store offset=48 (local.get $o) (local.get $c3))
            (if (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $J))
              (then
                (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
                (v128.store offset=0 (local.get $o) (local.get $c4))
                (v128.store offset=16 (local.get $o) (local.get $c5))
                (v128.store offset=32 (local.get $o) (local.get $c6))
                (v128.store offset=48 (local.get $o) (local.get $c7))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl)))
        (local.set $h0 (i32.add (local.get $h0) (i32.const 16)))
        (br $hl))))

  ;; out[h] = Σ_r src[r·H + h] in float32, r ascending from 0, for h < H (a multiple of 4): the hidden intercepts'
  ;; gradient, the batch's back-propagated errors summed over its rows.
  (func (export "colsum") (param $src i32) (param $n i32) (param $H i32) (param $out i32)
    (local $h i32) (local $r i32) (local $a i32) (local $rowBytes i32) (local $acc v128)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 2)))
    (block $hdone
      (loop $hl
        (br_if $hdone (i32.ge_u (local.get $h) (local.get $H)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $a (i32.add (local.get $src) (i32.shl (local.get $h) (i32.const 2))))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rl
            (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $a))))
            (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rl)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $h) (i32.const 2))) (local.get $acc))
        (local.set $h (i32.add (local.get $h) (i32.const 4)))
        (br $hl))))

  ;; out[r·8 + c] = b[c] + Σ_h w2t[h·8 + c] · act[r·H + h] in float64, h ascending, for r < n and c < 8: the output
  ;; layer's logits (classes padded to 8). w2t is the output weights transposed and widened to float64 (b too), so
  ;; each product of two float32 values is exact and each sum is the one the class's own loop would make.
  (func (export "logits") (param $act i32) (param $n i32) (param $H i32) (param $w2t i32) (param $b i32) (param $out i32)
    (local $r i32) (local $a i32) (local $aEnd i32) (local $w i32) (local $o i32)
    (local $s v128) (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128)
    (local.set $a (local.get $act))
    (local.set $o (local.get $out))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $z0 (v128.load offset=0 (local.get $b)))
        (local.set $z1 (v128.load offset=16 (local.get $b)))
        (local.set $z2 (v128.load offset=32 (local.get $b)))
        (local.set $z3 (v128.load offset=48 (local.get $b)))
        (local.set $aEnd (i32.add (local.get $a) (i32.shl (local.get $H) (i32.const 2))))
        (local.set $w (local.get $w2t))
        (block $hdone
          (loop $hl
            (br_if $hdone (i32.ge_u (local.get $a) (local.get $aEnd)))
            (local.set $s (f64x2.splat (f64.promote_f32 (f32.load (local.get $a)))))
            (local.set $z0 (f64x2.add (local.get $z0) (f64x2.mul (v128.load offset=0 (local.get $w)) (local.get $s))))
            (local.set $z1 (f64x2.add (local.get $z1) (f64x2.mul (v128.load offset=16 (local.get $w)) (local.get $s))))
            (local.set $z2 (f64x2.add (local.get $z2) (f64x2.mul (v128.load offset=32 (local.get $w)) (local.get $s))))
            (local.set $z3 (f64x2.add (local.get $z3) (f64x2.mul (v128.load offset=48 (local.get $w)) (local.get $s))))
            (local.set $a (i32.add (local.get $a) (i32.const 4)))
            (local.set $w (i32.add (local.get $w) (i32.const 64)))
            (br $hl)))
        (v128.store offset=0 (local.get $o) (local.get $z0))
        (v128.store offset=16 (local.get $o) (local.get $z1))
        (v128.store offset=32 (local.get $o) (local.get $z2))
        (v128.store offset=48 (local.get $o) (local.get $z3))
        (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; Adam's step on `count` parameters (float32 at $p, gradients float32 at $g, moments float64 at $m and $v), in
  ;; float64 as scikit-learn's form: gi = g + l2·p; m = 0.9·m + 0.1·gi; v = 0.999·v + (0.001·gi)·gi;
  ;; p = float32(p − (lr·m) / (√v + 1e-8)). Two parameters at a time: `count` is even (mlp.ts pads an odd block with
  ;; one parameter, gradient and moments of zero, which stay zero).
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $count i32) (param $l2 f64) (param $lr f64)
    (local $i i32) (local $at i32) (local $pv v128) (local $gi v128) (local $mq v128) (local $vq v128)
    (block $done
      (loop $l
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $count)))
        (local.set $pv (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $gi (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $gi (f64x2.add (local.get $gi) (f64x2.mul (f64x2.splat (local.get $l2)) (local.get $pv))))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $mq (f64x2.add (f64x2.mul (v128.const f64x2 0.9 0.9) (v128.load (i32.add (local.get $m) (local.get $at))))
          (f64x2.mul (v128.const f64x2 0.1 0.1) (local.get $gi))))
        (local.set $vq (f64x2.add (f64x2.mul (v128.const f64x2 0.999 0.999) (v128.load (i32.add (local.get $v) (local.get $at))))
          (f64x2.mul (f64x2.mul (v128.const f64x2 0.001 0.001) (local.get $gi)) (local.get $gi))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mq))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vq))
        (local.set $pv (f64x2.sub (local.get $pv)
          (f64x2.div (f64x2.mul (f64x2.splat (local.get $lr)) (local.get $mq)) (f64x2.add (f64x2.sqrt (local.get $vq)) (v128.const f64x2 1e-8 1e-8)))))
        (v128.store64_lane 0 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $pv)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $l))))
)
