;; The resampler's direct polyphase form (resample.ts polyphase): one output per filter row (or two rows
;; interpolated, for odd rates), for a chunk of outputs whose input samples lie in this memory. The same float64
;; operations in the same order as the JavaScript it replaced, so the same samples bit for bit: a product of two
;; float32 values is exact in float64; away from the edges the even taps and the odd taps are two running sums
;; (one f64x2 lane each, as the JavaScript's two sums were), added at the end; at the edges one sum over the taps
;; inside the signal. Upsampling 16 kHz speech to 48 kHz for training's Opus augmentation ran ~220 ns per output
;; in JavaScript.
(module
  (memory (export "memory") 1)

  ;; Σ_j x[start + j] · c[j] for j < taps, samples outside 0…xLen counting as silence. $x is the byte address of
  ;; the signal's sample $xFrom (the chunk's window: every sample inside the signal that the chunk reads).
  (func $dot (param $x i32) (param $xFrom i32) (param $xLen i32) (param $start i32) (param $c i32) (param $taps i32) (result f64)
    (local $p i32) (local $end i32) (local $j i32) (local $to i32) (local $acc v128) (local $s f64)
    (if (i32.and (i32.ge_s (local.get $start) (i32.const 0)) (i32.le_s (i32.add (local.get $start) (local.get $taps)) (local.get $xLen)))
      (then
        ;; Taps are even (2H): lane 0 sums the even taps, lane 1 the odd ones.
        (local.set $p (i32.add (local.get $x) (i32.shl (i32.sub (local.get $start) (local.get $xFrom)) (i32.const 2))))
        (local.set $end (i32.add (local.get $c) (i32.shl (local.get $taps) (i32.const 2))))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $c))))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $l)))
        (return (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))))
    ;; An edge: the taps from max(0, −start) to min(taps, xLen − start), one sum.
    (local.set $j (select (i32.sub (i32.const 0) (local.get $start)) (i32.const 0) (i32.lt_s (local.get $start) (i32.const 0))))
    (local.set $to (select (local.get $taps) (i32.sub (local.get $xLen) (local.get $start))
      (i32.lt_s (local.get $taps) (i32.sub (local.get $xLen) (local.get $start)))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $j) (local.get $to)))
        (local.set $s (f64.add (local.get $s)
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (i32.sub (i32.add (local.get $start) (local.get $j)) (local.get $xFrom)) (i32.const 2)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $l)))
    (local.get $s))

  ;; out[k] for k < count: output n (the chunk's first) + k, whose input position is base + num/up (num < up),
  ;; starting from the signal sample base − (half − 1). Exact banks ($exact = 1) read row num of the rows of
  ;; `taps` float32 coefficients at $c; the others interpolate rows floor(q) and floor(q) + 1 at q = num·phases/up.
  (func (export "polyphase") (param $x i32) (param $xFrom i32) (param $xLen i32) (param $c i32) (param $taps i32) (param $half i32)
    (param $up i32) (param $down i32) (param $phases i32) (param $exact i32) (param $out i32) (param $count i32) (param $base i32) (param $num i32)
    (local $k i32) (local $start i32) (local $rowBytes i32) (local $q f64) (local $p f64) (local $a f64) (local $b f64) (local $row i32)
    (local.set $rowBytes (i32.shl (local.get $taps) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (local.set $start (i32.sub (local.get $base) (i32.sub (local.get $half) (i32.const 1))))
        (if (local.get $exact)
          (then
            (local.set $a (call $dot (local.get $x) (local.get $xFrom) (local.get $xLen) (local.get $start)
              (i32.add (local.get $c) (i32.mul (local.get $num) (local.get $rowBytes))) (local.get $taps))))
          (else
            (local.set $q (f64.div (f64.mul (f64.convert_i32_u (local.get $num)) (f64.convert_i32_u (local.get $phases))) (f64.convert_i32_u (local.get $up))))
            (local.set $p (f64.floor (local.get $q)))
            (local.set $row (i32.add (local.get $c) (i32.mul (i32.trunc_f64_u (local.get $p)) (local.get $rowBytes))))
            (local.set $a (call $dot (local.get $x) (local.get $xFrom) (local.get $xLen) (local.get $start) (local.get $row) (local.get $taps)))
            (local.set $b (call $dot (local.get $x) (local.get $xFrom) (local.get $xLen) (local.get $start) (i32.add (local.get $row) (local.get $rowBytes)) (local.get $taps)))
            (local.set $a (f64.add (local.get $a) (f64.mul (f64.sub (local.get $b) (local.get $a)) (f64.sub (local.get $q) (local.get $p)))))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $a)))
        (local.set $num (i32.add (local.get $num) (local.get $down)))
        (block $stepped
          (loop $step
            (br_if $stepped (i32.lt_u (local.get $num) (local.get $up)))
            (local.set $base (i32.add (local.get $base) (i32.const 1)))
            (local.set $num (i32.sub (local.get $num) (local.get $up)))
            (br $step)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l))))
)
