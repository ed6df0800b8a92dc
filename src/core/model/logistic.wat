;; The logistic regression's two passes over the rows, four rows at a time, in float64 SIMD with each
;; sum taken in the same order as the JavaScript in logistic.ts (bit-identical): no fused multiply-add.
(module
  (memory (export "memory") 1)
  ;; z[r·C + c] = (Σ_j θ[c·d + j] · x[j·4 + r], j ascending) + θ[C·d + c] for the four rows interleaved at $x4.
  ;; Two classes per sweep: four independent sums in flight instead of two.
  (func (export "forward") (param $x4 i32) (param $theta i32) (param $z i32) (param $d i32) (param $C i32)
    (local $c i32) (local $t i32) (local $u i32) (local $x i32) (local $end i32)
    (local $a v128) (local $b v128) (local $e v128) (local $f v128) (local $tv v128) (local $uv v128) (local $v0 v128) (local $v1 v128)
    (local.set $c (i32.const 0))
    (local.set $end (i32.add (local.get $x4) (i32.shl (local.get $d) (i32.const 5))))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_s (i32.add (local.get $c) (i32.const 2)) (local.get $C)))
        (local.set $a (v128.const f64x2 0 0))
        (local.set $b (v128.const f64x2 0 0))
        (local.set $e (v128.const f64x2 0 0))
        (local.set $f (v128.const f64x2 0 0))
        (local.set $t (i32.add (local.get $theta) (i32.shl (i32.mul (local.get $c) (local.get $d)) (i32.const 3))))
        (local.set $u (i32.add (local.get $t) (i32.shl (local.get $d) (i32.const 3))))
        (local.set $x (local.get $x4))
        (block $jdone
          (loop $j
            (br_if $jdone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $tv (f64x2.splat (f64.load (local.get $t))))
            (local.set $uv (f64x2.splat (f64.load (local.get $u))))
            (local.set $v0 (v128.load (local.get $x)))
            (local.set $v1 (v128.load offset=16 (local.get $x)))
            (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $tv) (local.get $v0))))
            (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $tv) (local.get $v1))))
            (local.set $e (f64x2.add (local.get $e) (f64x2.mul (local.get $uv) (local.get $v0))))
            (local.set $f (f64x2.add (local.get $f) (f64x2.mul (local.get $uv) (local.get $v1))))
            (local.set $t (i32.add (local.get $t) (i32.const 8)))
            (local.set $u (i32.add (local.get $u) (i32.const 8)))
            (local.set $x (i32.add (local.get $x) (i32.const 32)))
            (br $j)))
        (call $store (local.get $z) (local.get $theta) (local.get $d) (local.get $C) (local.get $c) (local.get $a) (local.get $b))
        (call $store (local.get $z) (local.get $theta) (local.get $d) (local.get $C) (i32.add (local.get $c) (i32.const 1)) (local.get $e) (local.get $f))
        (local.set $c (i32.add (local.get $c) (i32.const 2)))
        (br $pairs)))
    ;; An odd last class alone.
    (if (i32.lt_s (local.get $c) (local.get $C))
      (then
        (local.set $a (v128.const f64x2 0 0))
        (local.set $b (v128.const f64x2 0 0))
        (local.set $t (i32.add (local.get $theta) (i32.shl (i32.mul (local.get $c) (local.get $d)) (i32.const 3))))
        (local.set $x (local.get $x4))
        (block $jdone
          (loop $j
            (br_if $jdone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $tv (f64x2.splat (f64.load (local.get $t))))
            (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $tv) (v128.load (local.get $x)))))
            (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $tv) (v128.load offset=16 (local.get $x)))))
            (local.set $t (i32.add (local.get $t) (i32.const 8)))
            (local.set $x (i32.add (local.get $x) (i32.const 32)))
            (br $j)))
        (call $store (local.get $z) (local.get $theta) (local.get $d) (local.get $C) (local.get $c) (local.get $a) (local.get $b)))))

  ;; Class c's four sums (rows 0, 1 in $a; 2, 3 in $b) plus its intercept, into z[r·C + c].
  (func $store (param $z i32) (param $theta i32) (param $d i32) (param $C i32) (param $c i32) (param $a v128) (param $b v128)
    (local $bias f64) (local $zc i32) (local $step i32)
    (local.set $bias (f64.load (i32.add (local.get $theta) (i32.shl (i32.add (i32.mul (local.get $C) (local.get $d)) (local.get $c)) (i32.const 3)))))
    (local.set $step (i32.shl (local.get $C) (i32.const 3)))
    (local.set $zc (i32.add (local.get $z) (i32.shl (local.get $c) (i32.const 3))))
    (f64.store (local.get $zc) (f64.add (f64x2.extract_lane 0 (local.get $a)) (local.get $bias)))
    (local.set $zc (i32.add (local.get $zc) (local.get $step)))
    (f64.store (local.get $zc) (f64.add (f64x2.extract_lane 1 (local.get $a)) (local.get $bias)))
    (local.set $zc (i32.add (local.get $zc) (local.get $step)))
    (f64.store (local.get $zc) (f64.add (f64x2.extract_lane 0 (local.get $b)) (local.get $bias)))
    (local.set $zc (i32.add (local.get $zc) (local.get $step)))
    (f64.store (local.get $zc) (f64.add (f64x2.extract_lane 1 (local.get $b)) (local.get $bias))))

  ;; grad[c·d + j] += ((g0·x0[j] + g1·x1[j]) + g2·x2[j]) + g3·x3[j] with g_r = g[r·C + c], for every class c and
  ;; feature j. Two classes per sweep, so each pair of features of the four rows is loaded once for both.
  (func (export "backward") (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $g i32) (param $grad i32) (param $d i32) (param $C i32)
    (local $c i32) (local $o i32) (local $pair i32) (local $gp i32) (local $hp i32)
    (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128)
    (local $h0 v128) (local $h1 v128) (local $h2 v128) (local $h3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $pair (i32.shl (i32.and (local.get $d) (i32.const -2)) (i32.const 3)))
    (local.set $c (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_s (i32.add (local.get $c) (i32.const 2)) (local.get $C)))
        (local.set $g0 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 0)))
        (local.set $g1 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 1)))
        (local.set $g2 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 2)))
        (local.set $g3 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 3)))
        (local.set $h0 (call $splat (local.get $g) (local.get $C) (i32.add (local.get $c) (i32.const 1)) (i32.const 0)))
        (local.set $h1 (call $splat (local.get $g) (local.get $C) (i32.add (local.get $c) (i32.const 1)) (i32.const 1)))
        (local.set $h2 (call $splat (local.get $g) (local.get $C) (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))
        (local.set $h3 (call $splat (local.get $g) (local.get $C) (i32.add (local.get $c) (i32.const 1)) (i32.const 3)))
        (local.set $gp (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $c) (local.get $d)) (i32.const 3))))
        (local.set $hp (i32.add (local.get $gp) (i32.shl (local.get $d) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $jdone
          (loop $j
            (br_if $jdone (i32.ge_u (local.get $o) (local.get $pair)))
            (local.set $v0 (v128.load (i32.add (local.get $x0) (local.get $o))))
            (local.set $v1 (v128.load (i32.add (local.get $x1) (local.get $o))))
            (local.set $v2 (v128.load (i32.add (local.get $x2) (local.get $o))))
            (local.set $v3 (v128.load (i32.add (local.get $x3) (local.get $o))))
            (v128.store (i32.add (local.get $gp) (local.get $o))
              (f64x2.add (v128.load (i32.add (local.get $gp) (local.get $o)))
                (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $g0) (local.get $v0)) (f64x2.mul (local.get $g1) (local.get $v1)))
                  (f64x2.mul (local.get $g2) (local.get $v2))) (f64x2.mul (local.get $g3) (local.get $v3)))))
            (v128.store (i32.add (local.get $hp) (local.get $o))
              (f64x2.add (v128.load (i32.add (local.get $hp) (local.get $o)))
                (f64x2.add (f64x2.add (f64x2.add (f64x2.mul (local.get $h0) (local.get $v0)) (f64x2.mul (local.get $h1) (local.get $v1)))
                  (f64x2.mul (local.get $h2) (local.get $v2))) (f64x2.mul (local.get $h3) (local.get $v3)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $j)))
        (call $oddFeature (local.get $x0) (local.get $x1) (local.get $x2) (local.get $x3) (local.get $gp) (local.get $d) (local.get $g0) (local.get $g1) (local.get $g2) (local.get $g3))
        (call $oddFeature (local.get $x0) (local.get $x1) (local.get $x2) (local.get $x3) (local.get $hp) (local.get $d) (local.get $h0) (local.get $h1) (local.get $h2) (local.get $h3))
        (local.set $c (i32.add (local.get $c) (i32.const 2)))
        (br $pairs)))
    ;; An odd last class alone.
    (if (i32.lt_s (local.get $c) (local.get $C))
      (then
        (local.set $g0 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 0)))
        (local.set $g1 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 1)))
        (local.set $g2 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 2)))
        (local.set $g3 (call $splat (local.get $g) (local.get $C) (local.get $c) (i32.const 3)))
        (local.set $gp (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $c) (local.get $d)) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $jdone
          (loop $j
            (br_if $jdone (i32.ge_u (local.get $o) (local.get $pair)))
            (v128.store (i32.add (local.get $gp) (local.get $o))
              (f64x2.add (v128.load (i32.add (local.get $gp) (local.get $o)))
                (f64x2.add (f64x2.add (f64x2.add
                  (f64x2.mul (local.get $g0) (v128.load (i32.add (local.get $x0) (local.get $o))))
                  (f64x2.mul (local.get $g1) (v128.load (i32.add (local.get $x1) (local.get $o)))))
                  (f64x2.mul (local.get $g2) (v128.load (i32.add (local.get $x2) (local.get $o)))))
                  (f64x2.mul (local.get $g3) (v128.load (i32.add (local.get $x3) (local.get $o)))))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $j)))
        (call $oddFeature (local.get $x0) (local.get $x1) (local.get $x2) (local.get $x3) (local.get $gp) (local.get $d) (local.get $g0) (local.get $g1) (local.get $g2) (local.get $g3)))))

  ;; g[r·C + c], in both lanes.
  (func $splat (param $g i32) (param $C i32) (param $c i32) (param $r i32) (result v128)
    (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $C)) (local.get $c)) (i32.const 3))))))

  ;; When d is odd, its last feature: the same sums in scalar.
  (func $oddFeature (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $gp i32) (param $d i32)
    (param $g0 v128) (param $g1 v128) (param $g2 v128) (param $g3 v128)
    (local $o i32)
    (if (i32.and (local.get $d) (i32.const 1))
      (then
        (local.set $o (i32.shl (i32.sub (local.get $d) (i32.const 1)) (i32.const 3)))
        (f64.store (i32.add (local.get $gp) (local.get $o))
          (f64.add (f64.load (i32.add (local.get $gp) (local.get $o)))
            (f64.add (f64.add (f64.add
              (f64.mul (f64x2.extract_lane 0 (local.get $g0)) (f64.load (i32.add (local.get $x0) (local.get $o))))
              (f64.mul (f64x2.extract_lane 0 (local.get $g1)) (f64.load (i32.add (local.get $x1) (local.get $o)))))
              (f64.mul (f64x2.extract_lane 0 (local.get $g2)) (f64.load (i32.add (local.get $x2) (local.get $o)))))
              (f64.mul (f64x2.extract_lane 0 (local.get $g3)) (f64.load (i32.add (local.get $x3) (local.get $o))))))))))
)
