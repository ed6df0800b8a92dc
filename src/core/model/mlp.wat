;; The MLP member's training passes (mlp.ts): the two products with the wide hidden layer, in float32
;; SIMD, eight f32x4 sums at a time (two rows or two inputs × 16 hidden units). Each sum runs in one fixed order (j or r
;; ascending) with no fused multiply-add, so a fit gives the same weights bit for bit on every run.
;; Rows are named by a table of byte addresses ($rows: one i32 per row), so the training rows are read
;; where they lie, in the batch's shuffled order, without copying.
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

  ;; out[j·H + h] = Σ_r a_r[j] · B[r·H + h] for j < J, r < n ascending, a_r at $rows[r]: a weight
  ;; gradient (the batch's inputs against its back-propagated errors), overwritten, not accumulated.
  ;; Two j at a time, 16 units each: every B vector loaded serves both. With J odd, the last j's
  ;; partner reads the float after it (in memory, unused) and is not stored.
  (func (export "outer") (param $rows i32) (param $n i32) (param $J i32) (param $B i32) (param $H i32) (param $out i32)
    (local $j i32) (local $h0 i32) (local $r i32) (local $b i32) (local $p i32) (local $o i32) (local $rowBytes i32) (local $jBytes i32)
    (local $s0 v128) (local $s1 v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jl
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $J)))
        (local.set $jBytes (i32.shl (local.get $j) (i32.const 2)))
        (local.set $h0 (i32.const 0))
        (block $hdone
          (loop $hl
            (br_if $hdone (i32.ge_u (local.get $h0) (local.get $H)))
            (local.set $c0 (v128.const f32x4 0 0 0 0))
            (local.set $c1 (local.get $c0))
            (local.set $c2 (local.get $c0))
            (local.set $c3 (local.get $c0))
            (local.set $c4 (local.get $c0))
            (local.set $c5 (local.get $c0))
            (local.set $c6 (local.get $c0))
            (local.set $c7 (local.get $c0))
            (local.set $b (i32.add (local.get $B) (i32.shl (local.get $h0) (i32.const 2))))
            (local.set $r (i32.const 0))
            (block $rdone
              (loop $rl
                (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
                (local.set $p (i32.add (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))) (local.get $jBytes)))
                (local.set $s0 (f32x4.splat (f32.load (local.get $p))))
                (local.set $s1 (f32x4.splat (f32.load offset=4 (local.get $p))))
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
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
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
            (local.set $h0 (i32.add (local.get $h0) (i32.const 16)))
            (br $hl)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $jl)))))
