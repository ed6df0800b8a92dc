;; The projection's fit (projection.ts): the covariance's rank updates, the covariance times the subspace, and the
;; projection of many rows, in float64 SIMD (two lanes) with no fused multiply-add. Every sum runs in one fixed order
;; (rows, l or j ascending), and each projection in the order project() in projection.ts runs it, so a fit gives the
;; same bits every run and the trainer's rows are the bits prediction computes.
(module
  (memory (export "memory") 1)

  ;; C[i·p + j] += z[0·p + i]·z[0·p + j] + … + z[7·p + i]·z[7·p + j] for j ≥ i: eight rows added one after another into
  ;; each entry (the caller pads a short block with rows of zeros, which add nothing), the entry loaded and stored once.
  (func (export "syrk8") (param $z i32) (param $p i32) (param $C i32)
    (local $i i32) (local $c i32) (local $x i32) (local $end i32) (local $rb i32) (local $acc v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $v4 v128) (local $v5 v128) (local $v6 v128) (local $v7 v128)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $s4 f64) (local $s5 f64) (local $s6 f64) (local $s7 f64)
    (local.set $rb (i32.shl (local.get $p) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone
      (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $p)))
        ;; x: &z[0·p + i]; c: &C[i·p + i]
        (local.set $x (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s0 (f64.load (local.get $x)))
        (local.set $s1 (f64.load (i32.add (local.get $x) (local.get $rb))))
        (local.set $s2 (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 2)))))
        (local.set $s3 (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 3)))))
        (local.set $s4 (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 4)))))
        (local.set $s5 (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 5)))))
        (local.set $s6 (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 6)))))
        (local.set $s7 (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 7)))))
        (local.set $v0 (f64x2.splat (local.get $s0)))
        (local.set $v1 (f64x2.splat (local.get $s1)))
        (local.set $v2 (f64x2.splat (local.get $s2)))
        (local.set $v3 (f64x2.splat (local.get $s3)))
        (local.set $v4 (f64x2.splat (local.get $s4)))
        (local.set $v5 (f64x2.splat (local.get $s5)))
        (local.set $v6 (f64x2.splat (local.get $s6)))
        (local.set $v7 (f64x2.splat (local.get $s7)))
        (local.set $c (i32.add (local.get $C) (i32.add (i32.mul (local.get $i) (local.get $rb)) (i32.shl (local.get $i) (i32.const 3)))))
        ;; pairs while two remain, then the odd one
        (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (i32.sub (local.get $p) (local.get $i)) (i32.const -2)) (i32.const 3))))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $acc (v128.load (local.get $c)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v0) (v128.load (local.get $x)))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v1) (v128.load (i32.add (local.get $x) (local.get $rb))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v2) (v128.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 2)))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v3) (v128.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 3)))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v4) (v128.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 4)))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v5) (v128.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 5)))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v6) (v128.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 6)))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v7) (v128.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 7)))))))
            (v128.store (local.get $c) (local.get $acc))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $jl)))
        (if (i32.and (i32.sub (local.get $p) (local.get $i)) (i32.const 1))
          (then
            (f64.store (local.get $c)
              (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.load (local.get $c))
                (f64.mul (local.get $s0) (f64.load (local.get $x))))
                (f64.mul (local.get $s1) (f64.load (i32.add (local.get $x) (local.get $rb)))))
                (f64.mul (local.get $s2) (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 2))))))
                (f64.mul (local.get $s3) (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 3))))))
                (f64.mul (local.get $s4) (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 4))))))
                (f64.mul (local.get $s5) (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 5))))))
                (f64.mul (local.get $s6) (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 6))))))
                (f64.mul (local.get $s7) (f64.load (i32.add (local.get $x) (i32.mul (local.get $rb) (i32.const 7)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))

  ;; out[i·m + j] = Σ_l C[i·p + l] · X[l·m + j], l ascending: eight columns at a time in four registers, then one at a time.
  (func (export "gemm") (param $C i32) (param $X i32) (param $out i32) (param $p i32) (param $m i32)
    (local $i i32) (local $j i32) (local $l i32) (local $v v128) (local $x i32) (local $cRow i32) (local $cEnd i32) (local $o i32) (local $mb i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f64)
    (local.set $mb (i32.shl (local.get $m) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone
      (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $p)))
        (local.set $cRow (i32.add (local.get $C) (i32.shl (i32.mul (local.get $i) (local.get $p)) (i32.const 3))))
        (local.set $cEnd (i32.add (local.get $cRow) (i32.shl (local.get $p) (i32.const 3))))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $mb))))
        (local.set $j (i32.const 0))
        (block $j8done
          (loop $j8
            (br_if $j8done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $m)))
            (local.set $a0 (f64x2.splat (f64.const 0)))
            (local.set $a1 (local.get $a0))
            (local.set $a2 (local.get $a0))
            (local.set $a3 (local.get $a0))
            (local.set $x (i32.add (local.get $X) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $l (local.get $cRow))
            (block $ldone
              (loop $ll
                (br_if $ldone (i32.ge_u (local.get $l) (local.get $cEnd)))
                (local.set $v (v128.load64_splat (local.get $l)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $x)))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $x)))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $x)))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $x)))))
                (local.set $x (i32.add (local.get $x) (local.get $mb)))
                (local.set $l (i32.add (local.get $l) (i32.const 8)))
                (br $ll)))
            (v128.store offset=0 (local.get $o) (local.get $a0))
            (v128.store offset=16 (local.get $o) (local.get $a1))
            (v128.store offset=32 (local.get $o) (local.get $a2))
            (v128.store offset=48 (local.get $o) (local.get $a3))
            (local.set $o (i32.add (local.get $o) (i32.const 64)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $j8)))
        (block $j1done
          (loop $j1
            (br_if $j1done (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $s (f64.const 0))
            (local.set $x (i32.add (local.get $X) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $l (local.get $cRow))
            (block $l1done
              (loop $l1
                (br_if $l1done (i32.ge_u (local.get $l) (local.get $cEnd)))
                (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $l)) (f64.load (local.get $x)))))
                (local.set $x (i32.add (local.get $x) (local.get $mb)))
                (local.set $l (i32.add (local.get $l) (i32.const 8)))
                (br $l1)))
            (f64.store (local.get $o) (local.get $s))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $j1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))

  ;; Row r of n (float32, d wide, at rows + r·d·4): out[r·(from + k) + …] = its first `from` features, then for each
  ;; axis c, Σ_j (x[from + j] − mean[j]) · T[j·k + c], j < p ascending (T: the loadings, p × k), rounded
  ;; to float32. The differences go to the scratch `e` (p float64) once per row; two axes at a time, an odd k's last alone.
  (func (export "project") (param $rows i32) (param $n i32) (param $d i32) (param $from i32) (param $mean i32) (param $T i32) (param $k i32) (param $out i32) (param $e i32)
    (local $r i32) (local $x i32) (local $o i32) (local $j i32) (local $c i32) (local $p i32) (local $s v128) (local $s1 f64) (local $t i32) (local $kBytes i32) (local $ej i32) (local $eEnd i32)
    (local.set $p (i32.sub (local.get $d) (local.get $from)))
    (local.set $kBytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $eEnd (i32.add (local.get $e) (i32.shl (local.get $p) (i32.const 3))))
    (local.set $o (local.get $out))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $x (i32.add (local.get $rows) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 2))))
        (memory.copy (local.get $o) (local.get $x) (i32.shl (local.get $from) (i32.const 2)))
        (local.set $o (i32.add (local.get $o) (i32.shl (local.get $from) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $edone
          (loop $el
            (br_if $edone (i32.ge_u (local.get $j) (local.get $p)))
            (f64.store (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3)))
              (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (i32.add (local.get $from) (local.get $j)) (i32.const 2)))))
                       (f64.load (i32.add (local.get $mean) (i32.shl (local.get $j) (i32.const 3))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $el)))
        (local.set $c (i32.const 0))
        (block $cdone
          (loop $cl
            (br_if $cdone (i32.ge_u (i32.add (local.get $c) (i32.const 1)) (local.get $k)))
            (local.set $s (f64x2.splat (f64.const 0)))
            (local.set $t (i32.add (local.get $T) (i32.shl (local.get $c) (i32.const 3))))
            (local.set $ej (local.get $e))
            (block $jdone
              (loop $jl
                (br_if $jdone (i32.ge_u (local.get $ej) (local.get $eEnd)))
                (local.set $s (f64x2.add (local.get $s) (f64x2.mul (v128.load64_splat (local.get $ej)) (v128.load (local.get $t)))))
                (local.set $ej (i32.add (local.get $ej) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (local.get $kBytes)))
                (br $jl)))
            (f32.store (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $s))))
            (f32.store offset=4 (local.get $o) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $s))))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (local.set $c (i32.add (local.get $c) (i32.const 2)))
            (br $cl)))
        (if (i32.lt_u (local.get $c) (local.get $k))
          (then
            (local.set $s1 (f64.const 0))
            (local.set $t (i32.add (local.get $T) (i32.shl (local.get $c) (i32.const 3))))
            (local.set $ej (local.get $e))
            (block $jdone1
              (loop $jl1
                (br_if $jdone1 (i32.ge_u (local.get $ej) (local.get $eEnd)))
                (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (local.get $ej)) (f64.load (local.get $t)))))
                (local.set $ej (i32.add (local.get $ej) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (local.get $kBytes)))
                (br $jl1)))
            (f32.store (local.get $o) (f32.demote_f64 (local.get $s1)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))
)
