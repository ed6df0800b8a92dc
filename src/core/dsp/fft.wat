;; Radix-4 complex FFT passes over interleaved f64 complex values (one v128 each: re, im), in place,
;; input in bit-reversed order. Twiddles per radix-4 pass and j: W^j, W^2j, W^3j, each stored as two
;; v128: (wr, wr) and (-wi, wi), so a*w = a*(wr, wr) + swap(a)*(-wi, wi).
(module
  (import "env" "memory" (memory 1))

  ;; Output: $n complex values at byte 0. $radix2: the first pass is radix 2 (log2 n odd); $tw: twiddles' byte offset.
  ;; $in: byte offset of the input (n complex values, natural order); $base: byte offset of the i32
  ;; table giving, for each first-pass butterfly, the natural index of its first input (bit reversal).
  (func $fft (export "fft") (param $n i32) (param $radix2 i32) (param $tw i32) (param $in i32) (param $base i32)
    (local $p i32) (local $end i32) (local $h i32) (local $hb i32) (local $span i32)
    (local $j i32) (local $t i32) (local $q i32) (local $bp i32) (local $quarter i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $w1r v128) (local $w1i v128) (local $w2r v128) (local $w2i v128) (local $w3r v128) (local $w3i v128)
    (local $negI v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 4)))
    ;; (1, -1): swap(d) * negI = -i * d
    (local.set $negI (v128.const f64x2 1.0 -1.0))
    (if (local.get $radix2)
      (then
        (local.set $p (i32.const 0))
        (local.set $bp (local.get $base))
        (local.set $quarter (i32.shl (local.get $n) (i32.const 3)))  ;; n/2 complex, in bytes
        (loop $r2
          (local.set $q (i32.add (local.get $in) (i32.shl (i32.load (local.get $bp)) (i32.const 4))))
          (local.set $bp (i32.add (local.get $bp) (i32.const 4)))
          (local.set $x0 (v128.load (local.get $q)))
          (local.set $x1 (v128.load (i32.add (local.get $q) (local.get $quarter))))
          (v128.store (local.get $p) (f64x2.add (local.get $x0) (local.get $x1)))
          (v128.store offset=16 (local.get $p) (f64x2.sub (local.get $x0) (local.get $x1)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $r2 (i32.lt_u (local.get $p) (local.get $end))))
        (local.set $h (i32.const 2)))
      (else
        (local.set $p (i32.const 0))
        (local.set $bp (local.get $base))
        (local.set $quarter (i32.shl (local.get $n) (i32.const 2)))  ;; n/4 complex, in bytes
        (loop $r4
          ;; natural inputs q, q + n/2, q + n/4, q + 3n/4: bit reversal puts them at 4i … 4i + 3
          (local.set $q (i32.add (local.get $in) (i32.shl (i32.load (local.get $bp)) (i32.const 4))))
          (local.set $bp (i32.add (local.get $bp) (i32.const 4)))
          (local.set $x0 (v128.load (local.get $q)))
          (local.set $x1 (v128.load (i32.add (local.get $q) (i32.shl (local.get $quarter) (i32.const 1)))))
          (local.set $x2 (v128.load (i32.add (local.get $q) (local.get $quarter))))
          (local.set $x3 (v128.load (i32.add (local.get $q) (i32.mul (local.get $quarter) (i32.const 3)))))
          (local.set $a (f64x2.add (local.get $x0) (local.get $x1)))
          (local.set $b (f64x2.sub (local.get $x0) (local.get $x1)))
          (local.set $c (f64x2.add (local.get $x2) (local.get $x3)))
          (local.set $d (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                                     (f64x2.sub (local.get $x2) (local.get $x3)) (local.get $x2))
                                   (local.get $negI)))
          (v128.store (local.get $p) (f64x2.add (local.get $a) (local.get $c)))
          (v128.store offset=32 (local.get $p) (f64x2.sub (local.get $a) (local.get $c)))
          (v128.store offset=16 (local.get $p) (f64x2.add (local.get $b) (local.get $d)))
          (v128.store offset=48 (local.get $p) (f64x2.sub (local.get $b) (local.get $d)))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (br_if $r4 (i32.lt_u (local.get $p) (local.get $end))))
        (local.set $h (i32.const 4))))
    (local.set $t (local.get $tw))
    (block $done
      (loop $pass
        (br_if $done (i32.gt_u (i32.shl (local.get $h) (i32.const 2)) (local.get $n)))
        (local.set $hb (i32.shl (local.get $h) (i32.const 4)))
        (local.set $span (i32.shl (local.get $hb) (i32.const 2)))
        (local.set $j (i32.const 0))
        (loop $js
          (local.set $w1r (v128.load (local.get $t)))
          (local.set $w1i (v128.load offset=16 (local.get $t)))
          (local.set $w2r (v128.load offset=32 (local.get $t)))
          (local.set $w2i (v128.load offset=48 (local.get $t)))
          (local.set $w3r (v128.load offset=64 (local.get $t)))
          (local.set $w3i (v128.load offset=80 (local.get $t)))
          (local.set $t (i32.add (local.get $t) (i32.const 96)))
          (local.set $p (i32.shl (local.get $j) (i32.const 4)))
          (loop $bf
            (local.set $x0 (v128.load (local.get $p)))
            (local.set $x1 (v128.load (i32.add (local.get $p) (local.get $hb))))
            (local.set $x2 (v128.load (i32.add (local.get $p) (i32.shl (local.get $hb) (i32.const 1)))))
            (local.set $x3 (v128.load (i32.add (local.get $p) (i32.mul (local.get $hb) (i32.const 3)))))
            ;; y1 = x1*W^2j -> x1; y2 = x2*W^j -> x2; y3 = x3*W^3j -> x3
            (local.set $x1 (f64x2.add (f64x2.mul (local.get $x1) (local.get $w2r))
                             (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x1) (local.get $x1)) (local.get $w2i))))
            (local.set $x2 (f64x2.add (f64x2.mul (local.get $x2) (local.get $w1r))
                             (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x2) (local.get $x2)) (local.get $w1i))))
            (local.set $x3 (f64x2.add (f64x2.mul (local.get $x3) (local.get $w3r))
                             (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x3) (local.get $x3)) (local.get $w3i))))
            (local.set $a (f64x2.add (local.get $x0) (local.get $x1)))
            (local.set $b (f64x2.sub (local.get $x0) (local.get $x1)))
            (local.set $c (f64x2.add (local.get $x2) (local.get $x3)))
            (local.set $d (f64x2.sub (local.get $x2) (local.get $x3)))
            (local.set $d (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d)) (local.get $negI)))
            (v128.store (local.get $p) (f64x2.add (local.get $a) (local.get $c)))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $hb) (i32.const 1))) (f64x2.sub (local.get $a) (local.get $c)))
            (v128.store (i32.add (local.get $p) (local.get $hb)) (f64x2.add (local.get $b) (local.get $d)))
            (v128.store (i32.add (local.get $p) (i32.mul (local.get $hb) (i32.const 3))) (f64x2.sub (local.get $b) (local.get $d)))
            (local.set $p (i32.add (local.get $p) (local.get $span)))
            (br_if $bf (i32.lt_u (local.get $p) (local.get $end))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $js (i32.lt_u (local.get $j) (local.get $h))))
        (local.set $h (i32.shl (local.get $h) (i32.const 2)))
        (br $pass))))
  ;; One frame of a power spectrogram, the real transform of 2n points run as n complex (RealFFT in fft.ts).
  ;; If $xs >= 0 the input is the 2n f32 samples at $xs times the f64 window at $win (else the caller wrote
  ;; it). Then the transform, the split into bins 0..n (cos and sin of 2 pi k / 2n at $cs and $sn), and
  ;; p = re*re + im*im per bin: f64 p at $pt, f32 p at $pw, f32 sqrt(p) at $mg. Returns the sum of p in bin
  ;; order. Every value is computed as RealFFT.forward and spectrogram.ts computed it in JavaScript.
  (func $spectrum (export "spectrum") (param $n i32) (param $radix2 i32) (param $tw i32) (param $in i32) (param $base i32)
    (param $xs i32) (param $win i32) (param $cs i32) (param $sn i32) (param $pw i32) (param $mg i32) (param $pt i32)
    (result f64)
    (local $i i32) (local $end i32) (local $k i32) (local $half i32) (local $pa i32) (local $pb i32)
    (local $ar f64) (local $ai f64) (local $br f64) (local $bi f64) (local $er f64) (local $ei f64)
    (local $or f64) (local $oi f64) (local $c f64) (local $s f64) (local $tr f64) (local $ti f64)
    (local $xr f64) (local $xi f64) (local $total f64) (local $p v128)
    (if (i32.ge_s (local.get $xs) (i32.const 0))
      (then
        ;; two samples per step: 16 bytes of input and window, 8 of x
        (local.set $i (i32.const 0))
        (local.set $end (i32.shl (local.get $n) (i32.const 4)))
        (loop $w
          (v128.store (i32.add (local.get $in) (local.get $i))
            (f64x2.mul
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xs) (i32.shr_u (local.get $i) (i32.const 1)))))
              (v128.load (i32.add (local.get $win) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br_if $w (i32.lt_u (local.get $i) (local.get $end))))))
    (call $fft (local.get $n) (local.get $radix2) (local.get $tw) (local.get $in) (local.get $base))
    ;; bins 0 and n: re = z0 + z1 and z0 - z1, im = 0
    (local.set $ar (f64.load (i32.const 0)))
    (local.set $ai (f64.load (i32.const 8)))
    (local.set $xr (f64.add (local.get $ar) (local.get $ai)))
    (f64.store (local.get $pt) (f64.add (f64.mul (local.get $xr) (local.get $xr)) (f64.mul (f64.const 0) (f64.const 0))))
    (local.set $xr (f64.sub (local.get $ar) (local.get $ai)))
    (f64.store (i32.add (local.get $pt) (i32.shl (local.get $n) (i32.const 3)))
      (f64.add (f64.mul (local.get $xr) (local.get $xr)) (f64.mul (f64.const 0) (f64.const 0))))
    (local.set $half (i32.shr_u (local.get $n) (i32.const 1)))
    (local.set $k (i32.const 1))
    (loop $split
      (local.set $pa (i32.shl (local.get $k) (i32.const 4)))
      (local.set $pb (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 4)))
      (local.set $ar (f64.load (local.get $pa)))
      (local.set $ai (f64.load offset=8 (local.get $pa)))
      (local.set $br (f64.load (local.get $pb)))
      (local.set $bi (f64.load offset=8 (local.get $pb)))
      (local.set $er (f64.mul (f64.const 0.5) (f64.add (local.get $ar) (local.get $br))))
      (local.set $ei (f64.mul (f64.const 0.5) (f64.sub (local.get $ai) (local.get $bi))))
      (local.set $or (f64.mul (f64.const 0.5) (f64.add (local.get $ai) (local.get $bi))))
      (local.set $oi (f64.mul (f64.const -0.5) (f64.sub (local.get $ar) (local.get $br))))
      (local.set $c (f64.load (i32.add (local.get $cs) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $s (f64.load (i32.add (local.get $sn) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $tr (f64.add (f64.mul (local.get $or) (local.get $c)) (f64.mul (local.get $oi) (local.get $s))))
      (local.set $ti (f64.sub (f64.mul (local.get $oi) (local.get $c)) (f64.mul (local.get $or) (local.get $s))))
      ;; X[k] = E + T, then X[n - k] = conj(E - T) (at k = n/2 the second write wins, as in splitHalves)
      (local.set $xr (f64.add (local.get $er) (local.get $tr)))
      (local.set $xi (f64.add (local.get $ei) (local.get $ti)))
      (f64.store (i32.add (local.get $pt) (i32.shl (local.get $k) (i32.const 3)))
        (f64.add (f64.mul (local.get $xr) (local.get $xr)) (f64.mul (local.get $xi) (local.get $xi))))
      (local.set $xr (f64.sub (local.get $er) (local.get $tr)))
      (local.set $xi (f64.sub (local.get $ti) (local.get $ei)))
      (f64.store (i32.add (local.get $pt) (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 3)))
        (f64.add (f64.mul (local.get $xr) (local.get $xr)) (f64.mul (local.get $xi) (local.get $xi))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $split (i32.le_u (local.get $k) (local.get $half))))
    ;; bins 0..n-1 two at a time (n even), then bin n: the sum in bin order, p and sqrt(p) rounded to f32
    (local.set $total (f64.const 0))
    (local.set $k (i32.const 0))
    (loop $pow
      (local.set $p (v128.load (i32.add (local.get $pt) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $total (f64.add (local.get $total) (f64x2.extract_lane 0 (local.get $p))))
      (local.set $total (f64.add (local.get $total) (f64x2.extract_lane 1 (local.get $p))))
      (v128.store64_lane 0 (i32.add (local.get $pw) (i32.shl (local.get $k) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $p)))
      (v128.store64_lane 0 (i32.add (local.get $mg) (i32.shl (local.get $k) (i32.const 2))) (f32x4.demote_f64x2_zero (f64x2.sqrt (local.get $p))))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br_if $pow (i32.lt_u (local.get $k) (local.get $n))))
    (local.set $xr (f64.load (i32.add (local.get $pt) (i32.shl (local.get $n) (i32.const 3)))))
    (f32.store (i32.add (local.get $pw) (i32.shl (local.get $n) (i32.const 2))) (f32.demote_f64 (local.get $xr)))
    (f32.store (i32.add (local.get $mg) (i32.shl (local.get $n) (i32.const 2))) (f32.demote_f64 (f64.sqrt (local.get $xr))))
    (f64.add (local.get $total) (local.get $xr)))

  ;; One block of a polyphase decimator by $d (an FFT convolution, overlap-save; resample.ts's Decimator):
  ;; for each branch p < $d, the 2n-point segment x[$start + p + i*$d] (f32 at $xs, $xlen samples, zero
  ;; outside) is transformed and its half spectrum times the branch's filter spectrum (f64 re then im, bins
  ;; 0..n, at $g + p*16*(n+1)) added to the sum at $acc (re then im); the inverse of the sum, scaled by
  ;; 1/n, gives samples $skip.. of which $count go to f32 at $out. The operations and their order are
  ;; those of RealFFT.forward (the split), a complex multiply-add per bin, and RealFFT.inverse in fft.ts.
  (func (export "decimate") (param $n i32) (param $radix2 i32) (param $tw i32) (param $in i32) (param $base i32)
    (param $xs i32) (param $xlen i32) (param $start i32) (param $d i32) (param $cs i32) (param $sn i32)
    (param $g i32) (param $acc i32) (param $out i32) (param $skip i32) (param $count i32)
    (local $p i32) (local $i i32) (local $s i32) (local $k i32) (local $half i32) (local $bins8 i32)
    (local $gr i32) (local $gi i32) (local $ai_ i32) (local $pa i32) (local $pb i32) (local $j i32)
    (local $ar f64) (local $ai f64) (local $br f64) (local $bi f64) (local $er f64) (local $ei f64)
    (local $or f64) (local $oi f64) (local $c f64) (local $sv f64) (local $tr f64) (local $ti f64)
    (local $xr f64) (local $xi f64) (local $scale f64)
    (local.set $half (i32.shr_u (local.get $n) (i32.const 1)))
    (local.set $bins8 (i32.shl (i32.add (local.get $n) (i32.const 1)) (i32.const 3)))
    (local.set $ai_ (i32.add (local.get $acc) (local.get $bins8)))
    ;; acc = 0
    (local.set $i (i32.const 0))
    (loop $zero
      (f64.store (i32.add (local.get $acc) (local.get $i)) (f64.const 0))
      (f64.store (i32.add (local.get $ai_) (local.get $i)) (f64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $zero (i32.lt_u (local.get $i) (local.get $bins8))))
    (local.set $p (i32.const 0))
    (loop $branch
      ;; gather: input[i] = x[start + p + i*d], 2n samples
      (local.set $s (i32.add (local.get $start) (local.get $p)))
      (local.set $i (i32.const 0))
      (loop $gather
        (f64.store (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 3)))
          (if (result f64) (i32.and (i32.ge_s (local.get $s) (i32.const 0)) (i32.lt_s (local.get $s) (local.get $xlen)))
            (then (f64.promote_f32 (f32.load (i32.add (local.get $xs) (i32.shl (local.get $s) (i32.const 2))))))
            (else (f64.const 0))))
        (local.set $s (i32.add (local.get $s) (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $gather (i32.lt_u (local.get $i) (i32.shl (local.get $n) (i32.const 1)))))
      (call $fft (local.get $n) (local.get $radix2) (local.get $tw) (local.get $in) (local.get $base))
      (local.set $gr (i32.add (local.get $g) (i32.mul (local.get $p) (i32.shl (local.get $bins8) (i32.const 1)))))
      (local.set $gi (i32.add (local.get $gr) (local.get $bins8)))
      ;; bins 0 and n: re = z0 + z1 and z0 - z1, im = 0
      (local.set $ar (f64.load (i32.const 0)))
      (local.set $ai (f64.load (i32.const 8)))
      (local.set $xr (f64.add (local.get $ar) (local.get $ai)))
      (local.set $xi (f64.const 0))
      (call $mac (local.get $acc) (local.get $ai_) (local.get $gr) (local.get $gi) (i32.const 0) (local.get $xr) (local.get $xi))
      (local.set $xr (f64.sub (local.get $ar) (local.get $ai)))
      (call $mac (local.get $acc) (local.get $ai_) (local.get $gr) (local.get $gi) (i32.shl (local.get $n) (i32.const 3)) (local.get $xr) (local.get $xi))
      (local.set $k (i32.const 1))
      (loop $split
        (local.set $pa (i32.shl (local.get $k) (i32.const 4)))
        (local.set $pb (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 4)))
        (local.set $ar (f64.load (local.get $pa)))
        (local.set $ai (f64.load offset=8 (local.get $pa)))
        (local.set $br (f64.load (local.get $pb)))
        (local.set $bi (f64.load offset=8 (local.get $pb)))
        (local.set $er (f64.mul (f64.const 0.5) (f64.add (local.get $ar) (local.get $br))))
        (local.set $ei (f64.mul (f64.const 0.5) (f64.sub (local.get $ai) (local.get $bi))))
        (local.set $or (f64.mul (f64.const 0.5) (f64.add (local.get $ai) (local.get $bi))))
        (local.set $oi (f64.mul (f64.const -0.5) (f64.sub (local.get $ar) (local.get $br))))
        (local.set $c (f64.load (i32.add (local.get $cs) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $sv (f64.load (i32.add (local.get $sn) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $tr (f64.add (f64.mul (local.get $or) (local.get $c)) (f64.mul (local.get $oi) (local.get $sv))))
        (local.set $ti (f64.sub (f64.mul (local.get $oi) (local.get $c)) (f64.mul (local.get $or) (local.get $sv))))
        ;; bin n/2 is its own mirror: added once
        (if (i32.lt_u (local.get $k) (local.get $half))
          (then
            (call $mac (local.get $acc) (local.get $ai_) (local.get $gr) (local.get $gi) (i32.shl (local.get $k) (i32.const 3))
              (f64.add (local.get $er) (local.get $tr)) (f64.add (local.get $ei) (local.get $ti)))))
        (call $mac (local.get $acc) (local.get $ai_) (local.get $gr) (local.get $gi) (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 3))
          (f64.sub (local.get $er) (local.get $tr)) (f64.sub (local.get $ti) (local.get $ei)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $split (i32.le_u (local.get $k) (local.get $half))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $branch (i32.lt_u (local.get $p) (local.get $d))))
    ;; join the halves into the input, re and im swapped (joinHalves), and transform
    (local.set $k (i32.const 0))
    (loop $join
      (local.set $ar (f64.load (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $br (f64.load (i32.add (local.get $acc) (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 3)))))
      (if (i32.eqz (local.get $k))
        (then (local.set $ai (f64.const 0)) (local.set $bi (f64.const 0)))
        (else
          (local.set $ai (f64.load (i32.add (local.get $ai_) (i32.shl (local.get $k) (i32.const 3)))))
          (local.set $bi (f64.load (i32.add (local.get $ai_) (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 3)))))))
      (local.set $er (f64.mul (f64.const 0.5) (f64.add (local.get $ar) (local.get $br))))
      (local.set $ei (f64.mul (f64.const 0.5) (f64.sub (local.get $ai) (local.get $bi))))
      ;; dr, di in tr, ti
      (local.set $tr (f64.mul (f64.const 0.5) (f64.sub (local.get $ar) (local.get $br))))
      (local.set $ti (f64.mul (f64.const 0.5) (f64.add (local.get $ai) (local.get $bi))))
      (local.set $c (f64.load (i32.add (local.get $cs) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $sv (f64.load (i32.add (local.get $sn) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $or (f64.sub (f64.mul (local.get $tr) (local.get $c)) (f64.mul (local.get $ti) (local.get $sv))))
      (local.set $oi (f64.add (f64.mul (local.get $tr) (local.get $sv)) (f64.mul (local.get $ti) (local.get $c))))
      (local.set $pa (i32.add (local.get $in) (i32.shl (local.get $k) (i32.const 4))))
      (f64.store (local.get $pa) (f64.add (local.get $ei) (local.get $or)))
      (f64.store offset=8 (local.get $pa) (f64.sub (local.get $er) (local.get $oi)))
      (if (local.get $k)
        (then
          (local.set $pb (i32.add (local.get $in) (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 4))))
          (f64.store (local.get $pb) (f64.sub (local.get $or) (local.get $ei)))
          (f64.store offset=8 (local.get $pb) (f64.add (local.get $er) (local.get $oi)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $join (i32.le_u (local.get $k) (local.get $half))))
    (call $fft (local.get $n) (local.get $radix2) (local.get $tw) (local.get $in) (local.get $base))
    ;; sample i is output[i xor 1] / n
    (local.set $scale (f64.div (f64.const 1) (f64.convert_i32_u (local.get $n))))
    (local.set $j (i32.const 0))
    (block $none
      (br_if $none (i32.eqz (local.get $count)))
      (loop $copy
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32.demote_f64 (f64.mul
            (f64.load (i32.shl (i32.xor (i32.add (local.get $skip) (local.get $j)) (i32.const 1)) (i32.const 3)))
            (local.get $scale))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $copy (i32.lt_u (local.get $j) (local.get $count))))))

  ;; acc[k] += x * g[k] (complex; byte offset $o into the re and im arrays): re*gr - im*gi, re*gi + im*gr.
  (func $mac (param $accRe i32) (param $accIm i32) (param $gRe i32) (param $gIm i32) (param $o i32) (param $xr f64) (param $xi f64)
    (local $a i32) (local $b i32) (local $gr f64) (local $gi f64)
    (local.set $gr (f64.load (i32.add (local.get $gRe) (local.get $o))))
    (local.set $gi (f64.load (i32.add (local.get $gIm) (local.get $o))))
    (local.set $a (i32.add (local.get $accRe) (local.get $o)))
    (local.set $b (i32.add (local.get $accIm) (local.get $o)))
    (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
      (f64.sub (f64.mul (local.get $xr) (local.get $gr)) (f64.mul (local.get $xi) (local.get $gi)))))
    (f64.store (local.get $b) (f64.add (f64.load (local.get $b))
      (f64.add (f64.mul (local.get $xr) (local.get $gi)) (f64.mul (local.get $xi) (local.get $gr))))))

  ;; Per-frame sums of spectralShape (spectral.ts), two frames at once, one per f64x2 lane, each lane
  ;; adding its bins in order: f32 magnitude m and power p rows of $bins at $mg and $pw; f64 bin
  ;; frequencies and their squares at $fq and $fq2; $amin the floor. For frame t (of $frames) writes
  ;; at $out + t*8*(9 + groups): sum m, sum f*m, sum f^2*m, sum max(p, amin); the sums of p over bins
  ;; $b50..$b1k-1 and $b1k..$b5k-1 and the largest p (from 0) over 0..$b2k-1 and $b2k..$b5k-1
  ;; ($b50 <= $b1k <= $b2k <= $b5k <= $bins); the roll-off bin; then the product of max(p, amin) over
  ;; each 8 bins and over the last partial group. An odd last frame pairs with itself.
  ;; The roll-off bin is where spectral.ts's loop `while (k < bins - 1 && (cum += m[k]) < $roll * sum m) k++`
  ;; ended: its running sums are those of sum m (kept per bin at $cum, 16 bytes each), which never
  ;; decrease (m >= 0), so the first one not below the threshold is found by bisection.
  (func (export "shape") (param $mg i32) (param $pw i32) (param $frames i32) (param $bins i32)
    (param $fq i32) (param $fq2 i32) (param $amin f64) (param $out i32)
    (param $b50 i32) (param $b1k i32) (param $b2k i32) (param $b5k i32) (param $roll f64) (param $cum i32)
    (local $t i32) (local $t1 i32) (local $k i32) (local $r0 i32) (local $r1 i32) (local $o0 i32) (local $o1 i32)
    (local $stride i32) (local $g i32)
    (local $m v128) (local $p v128) (local $f v128) (local $am v128)
    (local $total v128) (local $first v128) (local $second v128) (local $sum v128) (local $prod v128)
    (local $low v128) (local $high v128) (local $maxLow v128) (local $maxHigh v128)
    (local.set $am (f64x2.splat (local.get $amin)))
    ;; record: 9 values and ceil(bins / 8) products
    (local.set $stride (i32.shl (i32.add (i32.const 9) (i32.shr_u (i32.add (local.get $bins) (i32.const 7)) (i32.const 3))) (i32.const 3)))
    (local.set $t (i32.const 0))
    (block $done
      (br_if $done (i32.eqz (local.get $frames)))
      (loop $frame
        (local.set $t1 (select (i32.add (local.get $t) (i32.const 1)) (local.get $t)
          (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $frames))))
        (local.set $r0 (i32.shl (i32.mul (local.get $t) (local.get $bins)) (i32.const 2)))
        (local.set $r1 (i32.shl (i32.mul (local.get $t1) (local.get $bins)) (i32.const 2)))
        (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $stride))))
        (local.set $o1 (i32.add (local.get $out) (i32.mul (local.get $t1) (local.get $stride))))
        (local.set $total (f64x2.splat (f64.const 0)))
        (local.set $first (f64x2.splat (f64.const 0)))
        (local.set $second (f64x2.splat (f64.const 0)))
        (local.set $sum (f64x2.splat (f64.const 0)))
        (local.set $prod (f64x2.splat (f64.const 1)))
        (local.set $low (f64x2.splat (f64.const 0)))
        (local.set $high (f64x2.splat (f64.const 0)))
        (local.set $maxLow (f64x2.splat (f64.const 0)))
        (local.set $maxHigh (f64x2.splat (f64.const 0)))
        (local.set $g (i32.const 72))
        (local.set $k (i32.const 0))
        (loop $bin
          (local.set $m (f64x2.promote_low_f32x4
            (v128.load32_lane 1 (i32.add (local.get $mg) (local.get $r1))
              (v128.load32_zero (i32.add (local.get $mg) (local.get $r0))))))
          (local.set $p (f64x2.promote_low_f32x4
            (v128.load32_lane 1 (i32.add (local.get $pw) (local.get $r1))
              (v128.load32_zero (i32.add (local.get $pw) (local.get $r0))))))
          (local.set $total (f64x2.add (local.get $total) (local.get $m)))
          (v128.store (i32.add (local.get $cum) (i32.shl (local.get $k) (i32.const 4))) (local.get $total))
          (local.set $f (v128.load64_splat (i32.add (local.get $fq) (i32.shl (local.get $k) (i32.const 3)))))
          (local.set $first (f64x2.add (local.get $first) (f64x2.mul (local.get $f) (local.get $m))))
          (local.set $f (v128.load64_splat (i32.add (local.get $fq2) (i32.shl (local.get $k) (i32.const 3)))))
          (local.set $second (f64x2.add (local.get $second) (f64x2.mul (local.get $f) (local.get $m))))
          ;; the bands take p as it is (their branches change four times a frame)
          (if (i32.lt_u (local.get $k) (local.get $b5k))
            (then
              (if (i32.lt_u (local.get $k) (local.get $b2k))
                (then (local.set $maxLow (f64x2.max (local.get $maxLow) (local.get $p))))
                (else (local.set $maxHigh (f64x2.max (local.get $maxHigh) (local.get $p)))))
              (if (i32.ge_u (local.get $k) (local.get $b50))
                (then
                  (if (i32.lt_u (local.get $k) (local.get $b1k))
                    (then (local.set $low (f64x2.add (local.get $low) (local.get $p))))
                    (else (local.set $high (f64x2.add (local.get $high) (local.get $p)))))))))
          (local.set $p (f64x2.max (local.get $p) (local.get $am)))
          (local.set $sum (f64x2.add (local.get $sum) (local.get $p)))
          (local.set $prod (f64x2.mul (local.get $prod) (local.get $p)))
          (if (i32.eq (i32.and (local.get $k) (i32.const 7)) (i32.const 7))
            (then
              (f64.store (i32.add (local.get $o0) (local.get $g)) (f64x2.extract_lane 0 (local.get $prod)))
              (f64.store (i32.add (local.get $o1) (local.get $g)) (f64x2.extract_lane 1 (local.get $prod)))
              (local.set $g (i32.add (local.get $g) (i32.const 8)))
              (local.set $prod (f64x2.splat (f64.const 1)))))
          (local.set $r0 (i32.add (local.get $r0) (i32.const 4)))
          (local.set $r1 (i32.add (local.get $r1) (i32.const 4)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $bin (i32.lt_u (local.get $k) (local.get $bins))))
        ;; the last partial group (bins not a multiple of 8)
        (if (i32.and (local.get $bins) (i32.const 7))
          (then
            (f64.store (i32.add (local.get $o0) (local.get $g)) (f64x2.extract_lane 0 (local.get $prod)))
            (f64.store (i32.add (local.get $o1) (local.get $g)) (f64x2.extract_lane 1 (local.get $prod)))))
        ;; lane 1 first: for an odd last frame (t1 = t) both lanes hold the same values
        (f64.store (local.get $o1) (f64x2.extract_lane 1 (local.get $total)))
        (f64.store offset=8 (local.get $o1) (f64x2.extract_lane 1 (local.get $first)))
        (f64.store offset=16 (local.get $o1) (f64x2.extract_lane 1 (local.get $second)))
        (f64.store offset=24 (local.get $o1) (f64x2.extract_lane 1 (local.get $sum)))
        (f64.store offset=32 (local.get $o1) (f64x2.extract_lane 1 (local.get $low)))
        (f64.store offset=40 (local.get $o1) (f64x2.extract_lane 1 (local.get $high)))
        (f64.store offset=48 (local.get $o1) (f64x2.extract_lane 1 (local.get $maxLow)))
        (f64.store offset=56 (local.get $o1) (f64x2.extract_lane 1 (local.get $maxHigh)))
        (f64.store offset=64 (local.get $o1) (f64.convert_i32_u (call $rolloffBin (i32.add (local.get $cum) (i32.const 8))
          (local.get $bins) (f64.mul (local.get $roll) (f64x2.extract_lane 1 (local.get $total))))))
        (f64.store (local.get $o0) (f64x2.extract_lane 0 (local.get $total)))
        (f64.store offset=8 (local.get $o0) (f64x2.extract_lane 0 (local.get $first)))
        (f64.store offset=16 (local.get $o0) (f64x2.extract_lane 0 (local.get $second)))
        (f64.store offset=24 (local.get $o0) (f64x2.extract_lane 0 (local.get $sum)))
        (f64.store offset=32 (local.get $o0) (f64x2.extract_lane 0 (local.get $low)))
        (f64.store offset=40 (local.get $o0) (f64x2.extract_lane 0 (local.get $high)))
        (f64.store offset=48 (local.get $o0) (f64x2.extract_lane 0 (local.get $maxLow)))
        (f64.store offset=56 (local.get $o0) (f64x2.extract_lane 0 (local.get $maxHigh)))
        (f64.store offset=64 (local.get $o0) (f64.convert_i32_u (call $rolloffBin (local.get $cum)
          (local.get $bins) (f64.mul (local.get $roll) (f64x2.extract_lane 0 (local.get $total))))))
        (local.set $t (i32.add (local.get $t) (i32.const 2)))
        (br_if $frame (i32.lt_u (local.get $t) (local.get $frames))))))

  ;; contrast.ts's band means: per frame and band (bins $bs[b] .. $be[b]-1 of each row of $bins f32 values
  ;; >= 0 at $mg, compared as i32 bit patterns: non-negative floats order like their bits) the means of the
  ;; $k[b] largest and of the $k[b] smallest values, as f64 peak, valley at $out + 16·(t·$nb + b). Each mean
  ;; sums its values in f64 in sorted order (the smallest up from the least, the largest down from the
  ;; greatest) and divides by k: a fixed order, so the same bits as sorting the band (contrast.test).
  ;; Four frames at once, one per i32x4 lane (frames past the last repeat it): the k smallest so far are kept
  ;; sorted in k vectors at $low, the k largest at $high, and each bin passes down both lists by min/max
  ;; (an insertion with no branch to mispredict: 0.08 against 0.47 ms per audio-second inserting frame by frame).
  (func (export "contrastMeans") (param $mg i32) (param $frames i32) (param $bins i32) (param $nb i32)
    (param $bs i32) (param $be i32) (param $k i32) (param $low i32) (param $high i32) (param $out i32)
    (local $t i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $b i32)
    (local $lastAt i32) (local $i i32) (local $end i32) (local $j i32) (local $last i32) (local $o i32) (local $n f64)
    (local $v v128) (local $lv v128) (local $hv v128) (local $a v128)
    (local $low01 v128) (local $low23 v128) (local $high01 v128) (local $high23 v128)
    (local.set $last (i32.sub (local.get $frames) (i32.const 1)))
    (block $done
      (br_if $done (i32.eqz (local.get $frames)))
      (loop $frame
        ;; byte offsets of the four rows (clamped to the last frame)
        (local.set $r0 (i32.shl (i32.mul (local.get $t) (local.get $bins)) (i32.const 2)))
        (local.set $r1 (i32.shl (i32.mul (select (i32.add (local.get $t) (i32.const 1)) (local.get $last)
          (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $frames))) (local.get $bins)) (i32.const 2)))
        (local.set $r2 (i32.shl (i32.mul (select (i32.add (local.get $t) (i32.const 2)) (local.get $last)
          (i32.lt_u (i32.add (local.get $t) (i32.const 2)) (local.get $frames))) (local.get $bins)) (i32.const 2)))
        (local.set $r3 (i32.shl (i32.mul (select (i32.add (local.get $t) (i32.const 3)) (local.get $last)
          (i32.lt_u (i32.add (local.get $t) (i32.const 3)) (local.get $frames))) (local.get $bins)) (i32.const 2)))
        (local.set $b (i32.const 0))
        (loop $band
          (local.set $n (f64.convert_i32_u (i32.load (i32.add (local.get $k) (i32.shl (local.get $b) (i32.const 2))))))
          (local.set $lastAt (i32.shl (i32.sub (i32.load (i32.add (local.get $k) (i32.shl (local.get $b) (i32.const 2)))) (i32.const 1)) (i32.const 4)))
          ;; empty lists: every bin passes the k-th until k bins are in
          (local.set $j (i32.const 0))
          (loop $fill
            (v128.store (i32.add (local.get $low) (local.get $j)) (i32x4.splat (i32.const 0x7fffffff)))
            (v128.store (i32.add (local.get $high) (local.get $j)) (i32x4.splat (i32.const -1)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $fill (i32.le_u (local.get $j) (local.get $lastAt))))
          (local.set $i (i32.add (local.get $mg) (i32.shl (i32.load (i32.add (local.get $bs) (i32.shl (local.get $b) (i32.const 2)))) (i32.const 2))))
          (local.set $end (i32.add (local.get $mg) (i32.shl (i32.load (i32.add (local.get $be) (i32.shl (local.get $b) (i32.const 2)))) (i32.const 2))))
          (loop $bin
            (local.set $v
              (v128.load32_lane 3 (i32.add (local.get $i) (local.get $r3))
                (v128.load32_lane 2 (i32.add (local.get $i) (local.get $r2))
                  (v128.load32_lane 1 (i32.add (local.get $i) (local.get $r1))
                    (v128.load32_zero (i32.add (local.get $i) (local.get $r0)))))))
            (local.set $lv (local.get $v))
            (local.set $hv (local.get $v))
            (local.set $j (local.get $low))
            (local.set $o (local.get $high))
            (loop $pass
              (local.set $a (v128.load (local.get $j)))
              (v128.store (local.get $j) (i32x4.min_s (local.get $a) (local.get $lv)))
              (local.set $lv (i32x4.max_s (local.get $a) (local.get $lv)))
              (local.set $a (v128.load (local.get $o)))
              (v128.store (local.get $o) (i32x4.max_s (local.get $a) (local.get $hv)))
              (local.set $hv (i32x4.min_s (local.get $a) (local.get $hv)))
              (local.set $o (i32.add (local.get $o) (i32.const 16)))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br_if $pass (i32.le_u (local.get $j) (i32.add (local.get $low) (local.get $lastAt)))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br_if $bin (i32.lt_u (local.get $i) (local.get $end))))
          ;; each lane's sums in list order, two lanes per f64x2
          (local.set $low01 (f64x2.splat (f64.const 0)))
          (local.set $low23 (f64x2.splat (f64.const 0)))
          (local.set $high01 (f64x2.splat (f64.const 0)))
          (local.set $high23 (f64x2.splat (f64.const 0)))
          (local.set $j (i32.const 0))
          (loop $sum
            (local.set $a (v128.load (i32.add (local.get $low) (local.get $j))))
            (local.set $low01 (f64x2.add (local.get $low01) (f64x2.promote_low_f32x4 (local.get $a))))
            (local.set $low23 (f64x2.add (local.get $low23) (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))))
            (local.set $a (v128.load (i32.add (local.get $high) (local.get $j))))
            (local.set $high01 (f64x2.add (local.get $high01) (f64x2.promote_low_f32x4 (local.get $a))))
            (local.set $high23 (f64x2.add (local.get $high23) (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $sum (i32.le_u (local.get $j) (local.get $lastAt))))
          (local.set $low01 (f64x2.div (local.get $low01) (f64x2.splat (local.get $n))))
          (local.set $low23 (f64x2.div (local.get $low23) (f64x2.splat (local.get $n))))
          (local.set $high01 (f64x2.div (local.get $high01) (f64x2.splat (local.get $n))))
          (local.set $high23 (f64x2.div (local.get $high23) (f64x2.splat (local.get $n))))
          ;; frame t + l: peak (lane l of the largest), valley (of the smallest)
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $nb)) (local.get $b)) (i32.const 4))))
          (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $high01) (local.get $low01)))
          (if (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $frames))
            (then (v128.store (i32.add (local.get $o) (i32.shl (local.get $nb) (i32.const 4)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $high01) (local.get $low01)))))
          (if (i32.lt_u (i32.add (local.get $t) (i32.const 2)) (local.get $frames))
            (then (v128.store (i32.add (local.get $o) (i32.shl (local.get $nb) (i32.const 5)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $high23) (local.get $low23)))))
          (if (i32.lt_u (i32.add (local.get $t) (i32.const 3)) (local.get $frames))
            (then (v128.store (i32.add (local.get $o) (i32.mul (local.get $nb) (i32.const 48)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $high23) (local.get $low23)))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $band (i32.lt_u (local.get $b) (local.get $nb))))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br_if $frame (i32.lt_u (local.get $t) (local.get $frames))))))

  ;; formants.ts's autocorrelation: r[k] = sum over i >= k of x[i] * x[i - k], k = 0..$order ($order even,
  ;; f64 x of $n values at $x with 16 bytes of memory before it, f64 r at $r), each r[k] added in ascending
  ;; i. Lags $order - 1 and below in pairs (k, k + 1), one f64x2 per pair; lag $order with a dummy partner.
  (func $autocorrelation (export "autocorrelation") (param $x i32) (param $n i32) (param $order i32) (param $r i32)
    (local $k i32) (local $i i32) (local $s f64) (local $v v128) (local $pk i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128)
    ;; the first $order samples, where the longer lags have no partner yet: one sum per lag
    (local.set $k (i32.const 0))
    (loop $lag
      (local.set $s (f64.const 0))
      (local.set $i (local.get $k))
      (block $none
        (br_if $none (i32.ge_u (local.get $i) (local.get $order)))
        (loop $head
          (local.set $s (f64.add (local.get $s)
            (f64.mul (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
                     (f64.load (i32.add (local.get $x) (i32.shl (i32.sub (local.get $i) (local.get $k)) (i32.const 3)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $head (i32.lt_u (local.get $i) (local.get $order)))))
      (f64.store (i32.add (local.get $r) (i32.shl (local.get $k) (i32.const 3))) (local.get $s))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $lag (i32.le_u (local.get $k) (local.get $order))))
    ;; written for order 10: six pairs (1,0) .. (11,10), lag 11 a dummy. Each pair is held as the two samples
    ;; lie in memory: x[i - k - 1], x[i - k] is one load at x[i - k - 1], so lane 0 sums lag k + 1 and lane 1
    ;; lag k, and the pairs are swapped once on the way in and out rather than per sample.
    (local.set $a0 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (v128.load (local.get $r)) (local.get $v)))
    (local.set $a1 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (v128.load offset=16 (local.get $r)) (local.get $v)))
    (local.set $a2 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (v128.load offset=32 (local.get $r)) (local.get $v)))
    (local.set $a3 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (v128.load offset=48 (local.get $r)) (local.get $v)))
    (local.set $a4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (v128.load offset=64 (local.get $r)) (local.get $v)))
    (local.set $a5 (f64x2.replace_lane 0 (f64x2.splat (f64.load offset=80 (local.get $r))) (f64.const 0)))
    (local.set $i (local.get $order))
    (loop $body
      (local.set $pk (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $v (v128.load64_splat (local.get $pk)))
      (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load (i32.sub (local.get $pk) (i32.const 8))))))
      (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load (i32.sub (local.get $pk) (i32.const 24))))))
      (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load (i32.sub (local.get $pk) (i32.const 40))))))
      (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load (i32.sub (local.get $pk) (i32.const 56))))))
      (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $v) (v128.load (i32.sub (local.get $pk) (i32.const 72))))))
      (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $v) (v128.load (i32.sub (local.get $pk) (i32.const 88))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $body (i32.lt_u (local.get $i) (local.get $n))))
    (v128.store (local.get $r) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a0) (local.get $a0)))
    (v128.store offset=16 (local.get $r) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a1) (local.get $a1)))
    (v128.store offset=32 (local.get $r) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a2) (local.get $a2)))
    (v128.store offset=48 (local.get $r) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a3) (local.get $a3)))
    (v128.store offset=64 (local.get $r) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a4) (local.get $a4)))
    (f64.store offset=80 (local.get $r) (f64x2.extract_lane 1 (local.get $a5))))

  ;; formants.ts's Durand-Kerner sweeps (solveRoots) on z^p + a[1] z^(p-1) + ... + a[p] (f64 a at $a), roots
  ;; (f64 re, im at $re, $im) updated in place, one root after another, until no root moves 1e-10 (returns 1)
  ;; or $max sweeps (0). For each root, Horner's f(z_i) (lane 0) and the product of z_i - z_j over j != i in
  ;; ascending j (lane 1) run side by side in f64x2: the same operations on each as in JavaScript, in order
  ;; (lane 1 adds -0 where lane 0 adds a[k], which changes no value).
  (func $roots (export "roots") (param $a i32) (param $re i32) (param $im i32) (param $p i32) (param $max i32) (result i32)
    (local $sweep i32) (local $i i32) (local $s i32) (local $j i32)
    (local $moved f64) (local $zr f64) (local $zi f64) (local $fr f64) (local $fi f64) (local $dr f64) (local $di f64)
    (local $nr f64) (local $den f64) (local $qr f64) (local $qi f64)
    (local $R v128) (local $I v128) (local $M v128) (local $N v128) (local $Mz v128) (local $Nz v128) (local $t v128)
    (local.set $sweep (i32.const 0))
    (block $out
      (br_if $out (i32.eqz (local.get $max)))
      (loop $sweeps
        (local.set $moved (f64.const 0))
        (local.set $i (i32.const 0))
        (loop $root
          (local.set $zr (f64.load (i32.add (local.get $re) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $zi (f64.load (i32.add (local.get $im) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $Mz (f64x2.splat (local.get $zr)))
          (local.set $Nz (f64x2.splat (local.get $zi)))
          (local.set $R (f64x2.splat (f64.const 1)))
          (local.set $I (f64x2.splat (f64.const 0)))
          (local.set $s (i32.const 0))
          (loop $step
            (local.set $j (select (local.get $s) (i32.add (local.get $s) (i32.const 1)) (i32.lt_u (local.get $s) (local.get $i))))
            (local.set $M (f64x2.replace_lane 1 (local.get $Mz)
              (f64.sub (local.get $zr) (f64.load (i32.add (local.get $re) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $N (f64x2.replace_lane 1 (local.get $Nz)
              (f64.sub (local.get $zi) (f64.load (i32.add (local.get $im) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $t (f64x2.add
              (f64x2.sub (f64x2.mul (local.get $R) (local.get $M)) (f64x2.mul (local.get $I) (local.get $N)))
              (f64x2.replace_lane 0 (f64x2.splat (f64.const -0))
                (f64.load (i32.add (local.get $a) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 3)))))))
            (local.set $I (f64x2.add (f64x2.mul (local.get $R) (local.get $N)) (f64x2.mul (local.get $I) (local.get $M))))
            (local.set $R (local.get $t))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br_if $step (i32.lt_u (local.get $s) (i32.sub (local.get $p) (i32.const 1)))))
          ;; Horner's last step, k = p
          (local.set $fr (f64x2.extract_lane 0 (local.get $R)))
          (local.set $fi (f64x2.extract_lane 0 (local.get $I)))
          (local.set $dr (f64x2.extract_lane 1 (local.get $R)))
          (local.set $di (f64x2.extract_lane 1 (local.get $I)))
          (local.set $nr (f64.add (f64.sub (f64.mul (local.get $fr) (local.get $zr)) (f64.mul (local.get $fi) (local.get $zi)))
            (f64.load (i32.add (local.get $a) (i32.shl (local.get $p) (i32.const 3))))))
          (local.set $fi (f64.add (f64.mul (local.get $fr) (local.get $zi)) (f64.mul (local.get $fi) (local.get $zr))))
          (local.set $fr (local.get $nr))
          ;; den || 1e-30: 0 and NaN take 1e-30
          (local.set $den (f64.add (f64.mul (local.get $dr) (local.get $dr)) (f64.mul (local.get $di) (local.get $di))))
          (if (i32.eqz (i32.and (f64.ne (local.get $den) (f64.const 0)) (f64.eq (local.get $den) (local.get $den))))
            (then (local.set $den (f64.const 1e-30))))
          (local.set $qr (f64.div (f64.add (f64.mul (local.get $fr) (local.get $dr)) (f64.mul (local.get $fi) (local.get $di))) (local.get $den)))
          (local.set $qi (f64.div (f64.sub (f64.mul (local.get $fi) (local.get $dr)) (f64.mul (local.get $fr) (local.get $di))) (local.get $den)))
          (f64.store (i32.add (local.get $re) (i32.shl (local.get $i) (i32.const 3))) (f64.sub (local.get $zr) (local.get $qr)))
          (f64.store (i32.add (local.get $im) (i32.shl (local.get $i) (i32.const 3))) (f64.sub (local.get $zi) (local.get $qi)))
          (local.set $moved (f64.max (local.get $moved) (f64.add (f64.abs (local.get $qr)) (f64.abs (local.get $qi)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $root (i32.lt_u (local.get $i) (local.get $p))))
        (if (f64.lt (local.get $moved) (f64.const 1e-10)) (then (return (i32.const 1))))
        (local.set $sweep (i32.add (local.get $sweep) (i32.const 1)))
        (br_if $sweeps (i32.lt_u (local.get $sweep) (local.get $max)))))
    (i32.const 0))

  ;; mfcc.ts's DCT: coefficient n of frame t is the sum over bands m in order of basis[n][m] * logmel[t][m]
  ;; (f32 logmel rows of $nm at $lm; the basis transposed at $bt: for each m, the 20 coefficients' values),
  ;; written for 20 coefficients, two per f64x2; to f32 $out[n * $frames + t].
  (func (export "dct") (param $lm i32) (param $frames i32) (param $nm i32) (param $bt i32) (param $out i32)
    (local $t i32) (local $m i32) (local $bp i32) (local $v v128) (local $o i32) (local $rs i32) (local $row i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128)
    (local.set $rs (i32.shl (local.get $frames) (i32.const 2)))
    (local.set $t (i32.const 0))
    (block $done
      (br_if $done (i32.eqz (local.get $frames)))
      (loop $frame
        (local.set $c0 (f64x2.splat (f64.const 0)))
        (local.set $c1 (f64x2.splat (f64.const 0)))
        (local.set $c2 (f64x2.splat (f64.const 0)))
        (local.set $c3 (f64x2.splat (f64.const 0)))
        (local.set $c4 (f64x2.splat (f64.const 0)))
        (local.set $c5 (f64x2.splat (f64.const 0)))
        (local.set $c6 (f64x2.splat (f64.const 0)))
        (local.set $c7 (f64x2.splat (f64.const 0)))
        (local.set $c8 (f64x2.splat (f64.const 0)))
        (local.set $c9 (f64x2.splat (f64.const 0)))
        (local.set $row (i32.add (local.get $lm) (i32.shl (i32.mul (local.get $t) (local.get $nm)) (i32.const 2))))
        (local.set $bp (local.get $bt))
        (local.set $m (i32.const 0))
        (loop $band
          (local.set $v (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $m) (i32.const 2)))))))
          (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (v128.load offset=0 (local.get $bp)) (local.get $v))))
          (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (v128.load offset=16 (local.get $bp)) (local.get $v))))
          (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (v128.load offset=32 (local.get $bp)) (local.get $v))))
          (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (v128.load offset=48 (local.get $bp)) (local.get $v))))
          (local.set $c4 (f64x2.add (local.get $c4) (f64x2.mul (v128.load offset=64 (local.get $bp)) (local.get $v))))
          (local.set $c5 (f64x2.add (local.get $c5) (f64x2.mul (v128.load offset=80 (local.get $bp)) (local.get $v))))
          (local.set $c6 (f64x2.add (local.get $c6) (f64x2.mul (v128.load offset=96 (local.get $bp)) (local.get $v))))
          (local.set $c7 (f64x2.add (local.get $c7) (f64x2.mul (v128.load offset=112 (local.get $bp)) (local.get $v))))
          (local.set $c8 (f64x2.add (local.get $c8) (f64x2.mul (v128.load offset=128 (local.get $bp)) (local.get $v))))
          (local.set $c9 (f64x2.add (local.get $c9) (f64x2.mul (v128.load offset=144 (local.get $bp)) (local.get $v))))
          (local.set $bp (i32.add (local.get $bp) (i32.const 160)))
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (br_if $band (i32.lt_u (local.get $m) (local.get $nm))))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $t) (i32.const 2))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 0))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c0))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 1))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c0))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 2))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c1))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 3))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c1))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 4))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c2))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 5))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c2))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 6))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c3))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 7))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c3))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 8))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c4))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 9))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c4))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 10))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c5))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 11))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c5))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 12))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c6))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 13))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c6))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 14))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c7))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 15))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c7))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 16))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c8))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 17))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c8))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 18))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $c9))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $rs) (i32.const 19))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $c9))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $frame (i32.lt_u (local.get $t) (local.get $frames))))))

  ;; deltas.ts's interior9 on one row of f32 at $x ($n values): for i in 4 .. $n-5, out[i] =
  ;; ((x[i+1] - x[i-1]) + 2(x[i+2] - x[i-2]) + 3(x[i+3] - x[i-3]) + 4(x[i+4] - x[i-4])) / $norm, added in
  ;; that order, two i per f64x2; f32 out at $out (the same index). Reads up to 4 bytes past x[n-1].
  (func (export "deltas9") (param $x i32) (param $n i32) (param $norm f64) (param $out i32)
    (local $i i32) (local $p i32) (local $s v128) (local $nv v128)
    (local.set $nv (f64x2.splat (local.get $norm)))
    (local.set $i (i32.const 4))
    (block $done
      (br_if $done (i32.ge_s (local.get $i) (i32.sub (local.get $n) (i32.const 4))))
      (loop $each
        ;; $p: byte address of x[i - 4]
        (local.set $p (i32.add (local.get $x) (i32.shl (i32.sub (local.get $i) (i32.const 4)) (i32.const 2))))
        (local.set $s (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=20 (local.get $p))) (f64x2.promote_low_f32x4 (v128.load64_zero offset=12 (local.get $p)))))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (f64x2.splat (f64.const 2)) (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $p))) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p)))))))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (f64x2.splat (f64.const 3)) (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=28 (local.get $p))) (f64x2.promote_low_f32x4 (v128.load64_zero offset=4 (local.get $p)))))))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (f64x2.splat (f64.const 4)) (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=32 (local.get $p))) (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $p)))))))
        (local.set $s (f64x2.div (local.get $s) (local.get $nv)))
        ;; the second lane only while i + 1 is still interior
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $s))))
        (if (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (i32.sub (local.get $n) (i32.const 4)))
          (then (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $s))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br_if $each (i32.lt_s (local.get $i) (i32.sub (local.get $n) (i32.const 4)))))))

  ;; ---- an1: voice quality (the CPP cepstrum) and pitch kernels ----

  ;; ln x bit for bit as V8's Math.log computes it: fdlibm's __ieee754_log (V8's src/base/ieee754.cc),
  ;; the same operations in the same order. The high word of x gives k and the reduced x in [sqrt(2)/2,
  ;; sqrt(2)), f = x - 1, s = f/(2 + f), and ln x = k ln 2 + f - s(f - R(s*s)) with a degree-14 minimax R.
  (func $log (param $x f64) (result f64)
    (local $bits i64) (local $hx i32) (local $k i32) (local $i i32) (local $j i32)
    (local $f f64) (local $s f64) (local $z f64) (local $w f64) (local $r f64) (local $dk f64) (local $hfsq f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
    (if (i32.lt_s (local.get $hx) (i32.const 0x00100000))
      (then
        ;; log(+-0) = -inf, log(x < 0) = NaN, a subnormal is scaled by 2^54 first
        (if (i64.eqz (i64.and (local.get $bits) (i64.const 0x7fffffffffffffff)))
          (then (return (f64.const -inf))))
        (if (i32.lt_s (local.get $hx) (i32.const 0))
          (then (return (f64.div (f64.sub (local.get $x) (local.get $x)) (f64.const 0)))))
        (local.set $k (i32.const -54))
        (local.set $x (f64.mul (local.get $x) (f64.const 0x1p54)))
        (local.set $bits (i64.reinterpret_f64 (local.get $x)))
        (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000))
      (then (return (f64.add (local.get $x) (local.get $x)))))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
    (local.set $i (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
    ;; normalise x or x/2
    (local.set $x (f64.reinterpret_i64 (i64.or
      (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $i) (i32.const 0x3ff00000)))) (i64.const 32))
      (i64.and (local.get $bits) (i64.const 0xffffffff)))))
    (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $i) (i32.const 20))))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (if (i32.lt_s (i32.and (i32.const 0x000fffff) (i32.add (i32.const 2) (local.get $hx))) (i32.const 3))
      (then
        ;; -2^-20 <= f < 2^-20
        (if (f64.eq (local.get $f) (f64.const 0))
          (then
            (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
            (local.set $dk (f64.convert_i32_s (local.get $k)))
            (return (f64.add (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1)) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33))))))
        (local.set $r (f64.mul (f64.mul (local.get $f) (local.get $f))
          (f64.sub (f64.const 0.5) (f64.mul (f64.const 0x1.5555555555555p-2) (local.get $f)))))
        (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $r)))))
        (local.set $dk (f64.convert_i32_s (local.get $k)))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
          (f64.sub (f64.sub (local.get $r) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33))) (local.get $f))))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $i (i32.sub (local.get $hx) (i32.const 0x6147a)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $j (i32.sub (i32.const 0x6b851) (local.get $hx)))
    ;; R = t2 + t1
    (local.set $r (f64.add
      (f64.mul (local.get $z) (f64.add (f64.const 0x1.5555555555593p-1) (f64.mul (local.get $w)
        (f64.add (f64.const 0x1.2492494229359p-2) (f64.mul (local.get $w)
          (f64.add (f64.const 0x1.7466496cb03dep-3) (f64.mul (local.get $w) (f64.const 0x1.2f112df3e5244p-3))))))))
      (f64.mul (local.get $w) (f64.add (f64.const 0x1.999999997fa04p-2) (f64.mul (local.get $w)
        (f64.add (f64.const 0x1.c71c51d8e78afp-3) (f64.mul (local.get $w) (f64.const 0x1.39a09d078c69fp-3))))))))
    (if (i32.gt_s (i32.or (local.get $i) (local.get $j)) (i32.const 0))
      (then
        (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
        (if (i32.eqz (local.get $k))
          (then (return (f64.sub (local.get $f) (f64.sub (local.get $hfsq)
            (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r))))))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
          (f64.sub (f64.sub (local.get $hfsq)
              (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r))) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33))))
            (local.get $f))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (local.get $f) (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $r)))))))
    (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
      (f64.sub (f64.sub (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $r))) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33)))
        (local.get $f))))

  ;; out[i] = $scale * ln x[i] (f64 at byte offsets $x and $out, which may be the same; $n values), two
  ;; lanes at a time: when both are positive, normal, finite and not within 2^-20 of a power of two
  ;; (f's tiny case) they run side by side; with k = 0 the general formula gives the same bits as
  ;; fdlibm's k = 0 shortcut (0 - (a - f) equals f - a when nonzero, and ln x is nonzero there).
  ;; Anything else goes lane by lane through $log, as does an odd last value. $c: the constants
  ;; logConstants() wrote, held in locals for the whole row (a v128.const costs three instructions).
  ;; The high words are i32 lanes 1 and 3 (SSE has no 64-bit arithmetic shift): i32x4 arithmetic on
  ;; all four lanes, of which lanes 1 and 3 are the ones read.
  (func $logRow (param $c i32) (param $xs i32) (param $n i32) (param $out i32) (param $scale f64)
    (local $hm v128) (local $i v128) (local $k v128) (local $f v128) (local $s v128)
    (local $z v128) (local $w v128) (local $r v128) (local $dk v128) (local $hfsq v128) (local $a v128) (local $b v128)
    (local $x v128) (local $res v128) (local $sv v128) (local $p i32)
    (local $k0 v128) (local $k16 v128) (local $k32 v128) (local $k48 v128) (local $k64 v128) (local $k80 v128) (local $k96 v128) (local $k112 v128) (local $k128 v128) (local $k144 v128) (local $k160 v128) (local $k176 v128) (local $k192 v128) (local $k208 v128) (local $k224 v128) (local $k240 v128) (local $k256 v128) (local $k272 v128) (local $k288 v128) (local $k304 v128) (local $k320 v128) (local $k336 v128) (local $k352 v128) (local $k368 v128) (local $k384 v128)
    (local.set $k0 (v128.load offset=0 (local.get $c)))
    (local.set $k16 (v128.load offset=16 (local.get $c)))
    (local.set $k32 (v128.load offset=32 (local.get $c)))
    (local.set $k48 (v128.load offset=48 (local.get $c)))
    (local.set $k64 (v128.load offset=64 (local.get $c)))
    (local.set $k80 (v128.load offset=80 (local.get $c)))
    (local.set $k96 (v128.load offset=96 (local.get $c)))
    (local.set $k112 (v128.load offset=112 (local.get $c)))
    (local.set $k128 (v128.load offset=128 (local.get $c)))
    (local.set $k144 (v128.load offset=144 (local.get $c)))
    (local.set $k160 (v128.load offset=160 (local.get $c)))
    (local.set $k176 (v128.load offset=176 (local.get $c)))
    (local.set $k192 (v128.load offset=192 (local.get $c)))
    (local.set $k208 (v128.load offset=208 (local.get $c)))
    (local.set $k224 (v128.load offset=224 (local.get $c)))
    (local.set $k240 (v128.load offset=240 (local.get $c)))
    (local.set $k256 (v128.load offset=256 (local.get $c)))
    (local.set $k272 (v128.load offset=272 (local.get $c)))
    (local.set $k288 (v128.load offset=288 (local.get $c)))
    (local.set $k304 (v128.load offset=304 (local.get $c)))
    (local.set $k320 (v128.load offset=320 (local.get $c)))
    (local.set $k336 (v128.load offset=336 (local.get $c)))
    (local.set $k352 (v128.load offset=352 (local.get $c)))
    (local.set $k368 (v128.load offset=368 (local.get $c)))
    (local.set $k384 (v128.load offset=384 (local.get $c)))
    (local.set $sv (f64x2.splat (local.get $scale)))
    (block $rowDone
      (loop $pairs
        (br_if $rowDone (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $n)))
        (local.set $x (v128.load (i32.add (local.get $xs) (i32.shl (local.get $p) (i32.const 3)))))
        (block $done
      (local.set $hm (v128.and (local.get $x) (local.get $k0)))
      (if (v128.any_true (v128.and (local.get $k16) (v128.or (v128.or
            (i32x4.lt_s (local.get $x) (local.get $k32))
            (i32x4.ge_s (local.get $x) (local.get $k48)))
            (i32x4.lt_s (v128.and (i32x4.add (local.get $hm) (local.get $k64)) (local.get $k0))
              (local.get $k80)))))
        (then
          (local.set $res (f64x2.replace_lane 1
            (f64x2.splat (call $log (f64x2.extract_lane 0 (local.get $x))))
            (call $log (f64x2.extract_lane 1 (local.get $x)))))
          (br $done)))
      (local.set $i (v128.and (i32x4.add (local.get $hm) (local.get $k96)) (local.get $k112)))
      (local.set $k (i32x4.add (i32x4.sub (i32x4.shr_s (local.get $x) (i32.const 20)) (local.get $k128))
        (i32x4.shr_s (local.get $i) (i32.const 20))))
      ;; the low words of x with the high words hm | (i ^ 0x3ff00000): x normalised, or x/2
      (local.set $f (f64x2.sub
        (v128.or
          (v128.and (local.get $x) (local.get $k144))
          (v128.or (local.get $hm) (v128.xor (local.get $i) (local.get $k160))))
        (local.get $k176)))
      (local.set $s (f64x2.div (local.get $f) (f64x2.add (local.get $k192) (local.get $f))))
      (local.set $dk (f64x2.convert_low_i32x4_s (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $k) (local.get $k))))
      (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
      (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
      (local.set $r (f64x2.add
        (f64x2.mul (local.get $z) (f64x2.add (local.get $k208) (f64x2.mul (local.get $w)
          (f64x2.add (local.get $k224) (f64x2.mul (local.get $w)
            (f64x2.add (local.get $k240)
              (f64x2.mul (local.get $w) (local.get $k256))))))))
        (f64x2.mul (local.get $w) (f64x2.add (local.get $k272) (f64x2.mul (local.get $w)
          (f64x2.add (local.get $k288)
            (f64x2.mul (local.get $w) (local.get $k304))))))))
      (local.set $hfsq (f64x2.mul (f64x2.mul (local.get $k320) (local.get $f)) (local.get $f)))
      (local.set $a (f64x2.sub (f64x2.mul (local.get $dk) (local.get $k336))
        (f64x2.sub (f64x2.sub (local.get $hfsq)
            (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r)))
              (f64x2.mul (local.get $dk) (local.get $k352))))
          (local.get $f))))
      (local.set $b (f64x2.sub (f64x2.mul (local.get $dk) (local.get $k336))
        (f64x2.sub (f64x2.sub (f64x2.mul (local.get $s) (f64x2.sub (local.get $f) (local.get $r)))
            (f64x2.mul (local.get $dk) (local.get $k352)))
          (local.get $f))))
      ;; (hm - 0x6147a) | (0x6b851 - hm) > 0 picks a, in lanes 1 and 3 spread over their whole f64 lane
      (local.set $i (i32x4.gt_s
        (v128.or (i32x4.sub (local.get $hm) (local.get $k368)) (i32x4.sub (local.get $k384) (local.get $hm)))
        (v128.const i32x4 0 0 0 0)))
      (local.set $res (v128.bitselect (local.get $a) (local.get $b)
        (i8x16.shuffle 4 5 6 7 4 5 6 7 12 13 14 15 12 13 14 15 (local.get $i) (local.get $i)))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3))) (f64x2.mul (local.get $sv) (local.get $res)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $p) (local.get $n))
      (then (f64.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3)))
        (f64.mul (local.get $scale) (call $log (f64.load (i32.add (local.get $xs) (i32.shl (local.get $p) (i32.const 3))))))))))

  ;; The 25 vector constants of $logRow, 16 bytes each, at byte offset $c.
  (func (export "logConstants") (param $c i32)
    (v128.store offset=0 (local.get $c) (v128.const i32x4 0 0x000fffff 0 0x000fffff))
    (v128.store offset=16 (local.get $c) (v128.const i32x4 0 -1 0 -1))
    (v128.store offset=32 (local.get $c) (v128.const i32x4 0 0x00100000 0 0x00100000))
    (v128.store offset=48 (local.get $c) (v128.const i32x4 0 0x7ff00000 0 0x7ff00000))
    (v128.store offset=64 (local.get $c) (v128.const i32x4 0 2 0 2))
    (v128.store offset=80 (local.get $c) (v128.const i32x4 0 3 0 3))
    (v128.store offset=96 (local.get $c) (v128.const i32x4 0 0x95f64 0 0x95f64))
    (v128.store offset=112 (local.get $c) (v128.const i32x4 0 0x100000 0 0x100000))
    (v128.store offset=128 (local.get $c) (v128.const i32x4 0 1023 0 1023))
    (v128.store offset=144 (local.get $c) (v128.const i32x4 -1 0 -1 0))
    (v128.store offset=160 (local.get $c) (v128.const i32x4 0 0x3ff00000 0 0x3ff00000))
    (v128.store offset=176 (local.get $c) (v128.const f64x2 1 1))
    (v128.store offset=192 (local.get $c) (v128.const f64x2 2 2))
    (v128.store offset=208 (local.get $c) (v128.const f64x2 0x1.5555555555593p-1 0x1.5555555555593p-1))
    (v128.store offset=224 (local.get $c) (v128.const f64x2 0x1.2492494229359p-2 0x1.2492494229359p-2))
    (v128.store offset=240 (local.get $c) (v128.const f64x2 0x1.7466496cb03dep-3 0x1.7466496cb03dep-3))
    (v128.store offset=256 (local.get $c) (v128.const f64x2 0x1.2f112df3e5244p-3 0x1.2f112df3e5244p-3))
    (v128.store offset=272 (local.get $c) (v128.const f64x2 0x1.999999997fa04p-2 0x1.999999997fa04p-2))
    (v128.store offset=288 (local.get $c) (v128.const f64x2 0x1.c71c51d8e78afp-3 0x1.c71c51d8e78afp-3))
    (v128.store offset=304 (local.get $c) (v128.const f64x2 0x1.39a09d078c69fp-3 0x1.39a09d078c69fp-3))
    (v128.store offset=320 (local.get $c) (v128.const f64x2 0.5 0.5))
    (v128.store offset=336 (local.get $c) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1))
    (v128.store offset=352 (local.get $c) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))
    (v128.store offset=368 (local.get $c) (v128.const i32x4 0 0x6147a 0 0x6147a))
    (v128.store offset=384 (local.get $c) (v128.const i32x4 0 0x6b851 0 0x6b851)))

  ;; out[i] = ln x[i] (f64 at byte offsets $x and $out, $n values; $c as for $logRow): for the tests.
  (func (export "logs") (param $c i32) (param $x i32) (param $n i32) (param $out i32)
    (call $logRow (local.get $c) (local.get $x) (local.get $n) (local.get $out) (f64.const 1)))

  ;; Cepstral peak prominence of power rows (voice-quality.ts; CepstralPeaks in fft.ts), each as the
  ;; JavaScript computed it. For r < $count, row $rows[r] (i32) of the f32 rows of $m + 1 bins at $pw:
  ;;   x[k] = $db * ln(p[k] + $floor), k = 0..m (f64 at $xs);
  ;;   the dB spectrum, half of an even sequence of 2m points, has a DCT-I of m + 1 points for its
  ;;   cepstrum, run as one real transform of m points (Numerical Recipes' cosft1): the input u[j] =
  ;;   (x[j] + x[m-j])/2 -+ sin(pi j/m)(x[j] - x[m-j]) ($fs), y[1] = (x[0] - x[m])/2 + sum cos(pi j/m)(x[j] -
  ;;   x[m-j]) ($fc) summed in j order; the transform (n = m/2 complex points, then the real split with
  ;;   $cs, $sn as RealFFT.forward: re and im at $re, $im); y[2k] = re[k], y[2k+1] = y[2k-1] - im[k] (at $y);
  ;;   c = |y[q]|/m over q = $qmin..$qmax-1: the peak above the least-squares line through c (the
  ;;   sums of c and (q - $qmean)c in q order, $qvar the sum of (q - $qmean)^2), f64 at $out + 8r.
  (func (export "cpp") (param $n i32) (param $radix2 i32) (param $tw i32) (param $in i32) (param $base i32)
    (param $c i32) (param $fs i32) (param $fc i32) (param $cs i32) (param $sn i32)
    (param $xs i32) (param $re i32) (param $im i32) (param $y i32)
    (param $pw i32) (param $rows i32) (param $count i32)
    (param $db f64) (param $floor f64) (param $qmin i32) (param $qmax i32) (param $qmean f64) (param $qvar f64) (param $out i32)
    (local $m i32) (local $r i32) (local $p i32) (local $k i32) (local $j i32) (local $half i32) (local $pa i32) (local $pb i32)
    (local $q i32) (local $arg i32)
    (local $a f64) (local $b f64) (local $mean f64) (local $d f64) (local $odd f64)
    (local $ar f64) (local $ai f64) (local $br f64) (local $bi f64) (local $er f64) (local $ei f64)
    (local $or f64) (local $oi f64) (local $cv f64) (local $sv f64) (local $tr f64) (local $ti f64)
    (local $cq f64) (local $peak f64) (local $inv f64) (local $yo f64)
    (local $fl v128) (local $acc v128)
    (local.set $m (i32.shl (local.get $n) (i32.const 1)))
    (local.set $half (i32.shr_u (local.get $n) (i32.const 1)))
    (local.set $fl (f64x2.splat (local.get $floor)))
    ;; 1/m is a power of two: multiplying by it is dividing by m
    (local.set $inv (f64.div (f64.const 1) (f64.convert_i32_u (local.get $m))))
    (block $done
      (br_if $done (i32.eqz (local.get $count)))
      (loop $row
        (local.set $p (i32.add (local.get $pw)
          (i32.shl (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2))))
            (i32.add (local.get $m) (i32.const 1))) (i32.const 2))))
        ;; the dB spectrum: p + floor in f64, bins 0..m-1 two at a time, then bin m, then its logarithms
        (local.set $k (i32.const 0))
        (loop $floors
          (v128.store (i32.add (local.get $xs) (i32.shl (local.get $k) (i32.const 3)))
            (f64x2.add (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 2)))))
              (local.get $fl)))
          (local.set $k (i32.add (local.get $k) (i32.const 2)))
          (br_if $floors (i32.lt_u (local.get $k) (local.get $m))))
        (f64.store (i32.add (local.get $xs) (i32.shl (local.get $m) (i32.const 3)))
          (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.shl (local.get $m) (i32.const 2))))) (local.get $floor)))
        (call $logRow (local.get $c) (local.get $xs) (i32.add (local.get $m) (i32.const 1)) (local.get $xs) (local.get $db))
        ;; the fold into the transform's input (m reals)
        (local.set $a (f64.load (local.get $xs)))
        (local.set $b (f64.load (i32.add (local.get $xs) (i32.shl (local.get $m) (i32.const 3)))))
        (f64.store (local.get $in) (f64.mul (f64.const 0.5) (f64.add (local.get $a) (local.get $b))))
        (local.set $odd (f64.mul (f64.const 0.5) (f64.sub (local.get $a) (local.get $b))))
        (local.set $j (i32.const 1))
        (loop $fold
          (local.set $a (f64.load (i32.add (local.get $xs) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $b (f64.load (i32.add (local.get $xs) (i32.shl (i32.sub (local.get $m) (local.get $j)) (i32.const 3)))))
          (local.set $mean (f64.mul (f64.const 0.5) (f64.add (local.get $a) (local.get $b))))
          (local.set $d (f64.mul (f64.load (i32.add (local.get $fs) (i32.shl (local.get $j) (i32.const 3)))) (f64.sub (local.get $a) (local.get $b))))
          (f64.store (i32.add (local.get $in) (i32.shl (local.get $j) (i32.const 3))) (f64.sub (local.get $mean) (local.get $d)))
          (f64.store (i32.add (local.get $in) (i32.shl (i32.sub (local.get $m) (local.get $j)) (i32.const 3))) (f64.add (local.get $mean) (local.get $d)))
          (local.set $odd (f64.add (local.get $odd)
            (f64.mul (f64.load (i32.add (local.get $fc) (i32.shl (local.get $j) (i32.const 3)))) (f64.sub (local.get $a) (local.get $b)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $fold (i32.lt_u (local.get $j) (local.get $n))))
        (f64.store (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 3)))
          (f64.load (i32.add (local.get $xs) (i32.shl (local.get $n) (i32.const 3)))))
        (call $fft (local.get $n) (local.get $radix2) (local.get $tw) (local.get $in) (local.get $base))
        ;; the real split (RealFFT.forward): bins 0 and n, then k and n - k
        (local.set $ar (f64.load (i32.const 0)))
        (local.set $ai (f64.load (i32.const 8)))
        (f64.store (local.get $re) (f64.add (local.get $ar) (local.get $ai)))
        (f64.store (local.get $im) (f64.const 0))
        (f64.store (i32.add (local.get $re) (i32.shl (local.get $n) (i32.const 3))) (f64.sub (local.get $ar) (local.get $ai)))
        (f64.store (i32.add (local.get $im) (i32.shl (local.get $n) (i32.const 3))) (f64.const 0))
        (local.set $k (i32.const 1))
        (loop $split
          (local.set $pa (i32.shl (local.get $k) (i32.const 4)))
          (local.set $pb (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 4)))
          (local.set $ar (f64.load (local.get $pa)))
          (local.set $ai (f64.load offset=8 (local.get $pa)))
          (local.set $br (f64.load (local.get $pb)))
          (local.set $bi (f64.load offset=8 (local.get $pb)))
          (local.set $er (f64.mul (f64.const 0.5) (f64.add (local.get $ar) (local.get $br))))
          (local.set $ei (f64.mul (f64.const 0.5) (f64.sub (local.get $ai) (local.get $bi))))
          (local.set $or (f64.mul (f64.const 0.5) (f64.add (local.get $ai) (local.get $bi))))
          (local.set $oi (f64.mul (f64.const -0.5) (f64.sub (local.get $ar) (local.get $br))))
          (local.set $cv (f64.load (i32.add (local.get $cs) (i32.shl (local.get $k) (i32.const 3)))))
          (local.set $sv (f64.load (i32.add (local.get $sn) (i32.shl (local.get $k) (i32.const 3)))))
          (local.set $tr (f64.add (f64.mul (local.get $or) (local.get $cv)) (f64.mul (local.get $oi) (local.get $sv))))
          (local.set $ti (f64.sub (f64.mul (local.get $oi) (local.get $cv)) (f64.mul (local.get $or) (local.get $sv))))
          (local.set $pa (i32.shl (local.get $k) (i32.const 3)))
          (local.set $pb (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 3)))
          (f64.store (i32.add (local.get $re) (local.get $pa)) (f64.add (local.get $er) (local.get $tr)))
          (f64.store (i32.add (local.get $im) (local.get $pa)) (f64.add (local.get $ei) (local.get $ti)))
          ;; at k = n/2 this second write wins, as in splitHalves
          (f64.store (i32.add (local.get $re) (local.get $pb)) (f64.sub (local.get $er) (local.get $tr)))
          (f64.store (i32.add (local.get $im) (local.get $pb)) (f64.sub (local.get $ti) (local.get $ei)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $split (i32.le_u (local.get $k) (local.get $half))))
        ;; the cepstrum y[0..m-1]
        (f64.store (local.get $y) (f64.load (local.get $re)))
        (local.set $yo (local.get $odd))
        (f64.store offset=8 (local.get $y) (local.get $yo))
        (local.set $k (i32.const 1))
        (loop $ceps
          (local.set $pa (i32.shl (local.get $k) (i32.const 3)))
          (f64.store (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 4))) (f64.load (i32.add (local.get $re) (local.get $pa))))
          (local.set $yo (f64.sub (local.get $yo) (f64.load (i32.add (local.get $im) (local.get $pa)))))
          (f64.store offset=8 (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 4))) (local.get $yo))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $ceps (i32.lt_u (local.get $k) (local.get $n))))
        ;; the peak and the regression sums: (sum c, sum (q - qmean) c) in one vector
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $peak (f64.const 0))
        (local.set $arg (local.get $qmin))
        (local.set $q (local.get $qmin))
        (loop $peaks
          (local.set $cq (f64.mul (f64.abs (f64.load (i32.add (local.get $y) (i32.shl (local.get $q) (i32.const 3))))) (local.get $inv)))
          (local.set $acc (f64x2.add (local.get $acc)
            (f64x2.mul (f64x2.splat (local.get $cq))
              (f64x2.replace_lane 1 (v128.const f64x2 1 1) (f64.sub (f64.convert_i32_s (local.get $q)) (local.get $qmean))))))
          (if (f64.gt (local.get $cq) (local.get $peak))
            (then (local.set $peak (local.get $cq)) (local.set $arg (local.get $q))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $peaks (i32.lt_s (local.get $q) (local.get $qmax))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.sub (local.get $peak)
            (f64.add (f64.div (f64x2.extract_lane 0 (local.get $acc)) (f64.convert_i32_s (i32.sub (local.get $qmax) (local.get $qmin))))
              (f64.mul (f64.div (f64x2.extract_lane 1 (local.get $acc)) (local.get $qvar))
                (f64.sub (f64.convert_i32_s (local.get $arg)) (local.get $qmean))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $row (i32.lt_u (local.get $r) (local.get $count))))))

  ;; Both real cross-correlations of two packed pairs (pitch.ts, "pitchPair" below): the input at $in holds two windows
  ;; (re, im), the one at $inB the two spans they are correlated with. A's transform is copied to $spA,
  ;; B's stays at 0; bins k and n - k of each are separated by symmetry (X1 = (Z[k] + conj Z[-k])/2,
  ;; X2 = (Z[k] - conj Z[-k])/2i), cross-multiplied conj(A)B per frame and recombined as conj(V1) + i conj(V2)
  ;; into $inC, whose transform (at 0) holds both correlations times n. Bins k and n - k side by side in
  ;; the two f64x2 lanes, each lane computing what pitch.ts's combine() computed for its bin.
  (func $xcorr (param $n i32) (param $radix2 i32) (param $tw i32) (param $in i32) (param $base i32)
    (param $inB i32) (param $inC i32) (param $spA i32)
    (local $k i32) (local $m i32) (local $pk i32) (local $pm i32) (local $bytes i32)
    (local $ak v128) (local $am v128) (local $bk v128) (local $bm v128) (local $half v128)
    (local $p v128) (local $q v128) (local $r v128) (local $s v128)
    (local $a1r v128) (local $a1i v128) (local $a2r v128) (local $a2i v128)
    (local $b1r v128) (local $b1i v128) (local $b2r v128) (local $b2i v128)
    (local $re v128) (local $im v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 4)))
    (call $fft (local.get $n) (local.get $radix2) (local.get $tw) (local.get $in) (local.get $base))
    (memory.copy (local.get $spA) (i32.const 0) (local.get $bytes))
    (call $fft (local.get $n) (local.get $radix2) (local.get $tw) (local.get $inB) (local.get $base))
    (local.set $half (v128.const f64x2 0.5 0.5))
    (local.set $k (i32.const 0))
    (loop $bins
      ;; m = -k mod n
      (local.set $m (i32.and (i32.sub (local.get $n) (local.get $k)) (i32.sub (local.get $n) (i32.const 1))))
      (local.set $pk (i32.shl (local.get $k) (i32.const 4)))
      (local.set $pm (i32.shl (local.get $m) (i32.const 4)))
      (local.set $ak (v128.load (i32.add (local.get $spA) (local.get $pk))))
      (local.set $am (v128.load (i32.add (local.get $spA) (local.get $pm))))
      (local.set $bk (v128.load (local.get $pk)))
      (local.set $bm (v128.load (local.get $pm)))
      ;; lane 0: bin k (p, q = Z[k]; r, s = Z[m]); lane 1: bin m
      (local.set $p (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ak) (local.get $am)))
      (local.set $q (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ak) (local.get $am)))
      (local.set $r (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))
      (local.set $s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q)))
      (local.set $a1r (f64x2.mul (f64x2.add (local.get $p) (local.get $r)) (local.get $half)))
      (local.set $a1i (f64x2.mul (f64x2.sub (local.get $q) (local.get $s)) (local.get $half)))
      (local.set $a2r (f64x2.mul (f64x2.add (local.get $q) (local.get $s)) (local.get $half)))
      (local.set $a2i (f64x2.mul (f64x2.sub (local.get $r) (local.get $p)) (local.get $half)))
      (local.set $p (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $bk) (local.get $bm)))
      (local.set $q (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $bk) (local.get $bm)))
      (local.set $r (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))
      (local.set $s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q)))
      (local.set $b1r (f64x2.mul (f64x2.add (local.get $p) (local.get $r)) (local.get $half)))
      (local.set $b1i (f64x2.mul (f64x2.sub (local.get $q) (local.get $s)) (local.get $half)))
      (local.set $b2r (f64x2.mul (f64x2.add (local.get $q) (local.get $s)) (local.get $half)))
      (local.set $b2i (f64x2.mul (f64x2.sub (local.get $r) (local.get $p)) (local.get $half)))
      ;; re = v1r - v2i, im = v1i + v2r
      (local.set $re (f64x2.sub
        (f64x2.add (f64x2.mul (local.get $a1r) (local.get $b1r)) (f64x2.mul (local.get $a1i) (local.get $b1i)))
        (f64x2.sub (f64x2.mul (local.get $a2i) (local.get $b2r)) (f64x2.mul (local.get $a2r) (local.get $b2i)))))
      (local.set $im (f64x2.add
        (f64x2.sub (f64x2.mul (local.get $a1i) (local.get $b1r)) (f64x2.mul (local.get $a1r) (local.get $b1i)))
        (f64x2.add (f64x2.mul (local.get $a2r) (local.get $b2r)) (f64x2.mul (local.get $a2i) (local.get $b2i)))))
      ;; bin m first: at k = 0 and k = n/2, m = k and both lanes hold the same values
      (v128.store (i32.add (local.get $inC) (local.get $pm))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $re) (local.get $im)))
      (v128.store (i32.add (local.get $inC) (local.get $pk))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $re) (local.get $im)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $bins (i32.le_u (local.get $k) (i32.shr_u (local.get $n) (i32.const 1)))))
    (call $fft (local.get $n) (local.get $radix2) (local.get $tw) (local.get $inC) (local.get $base)))

  ;; The 23-tap half-band low-pass of pitch.ts's decimate(), outputs $count two at a time: output i is
  ;; h0 x[2i + 12] + h1 (x[2i + 11] + x[2i + 13]) + h3 (x[2i + 9] + x[2i + 15]) + ... + h11 (x[2i + 1] + x[2i + 23])
  ;; of the f32 samples at $xs (2 $count + 24 of them), summed in that order in f64 and rounded to f32 at
  ;; $out. The samples are first split into even and odd f64 rows ($xe, $xo: $count + 12 each), so each
  ;; pair of outputs reads contiguous pairs. $h: the f64 taps h0, h1, h3 ... h11.
  (func (export "halfband") (param $xs i32) (param $count i32) (param $h i32) (param $xe i32) (param $xo i32) (param $out i32)
    (local $i i32) (local $len i32) (local $v v128) (local $e i32) (local $o i32) (local $y v128)
    (local $h0 v128) (local $h1 v128) (local $h3 v128) (local $h5 v128) (local $h7 v128) (local $h9 v128) (local $h11 v128)
    ;; the split: four samples per step
    (local.set $len (i32.add (local.get $count) (i32.const 12)))
    (loop $split
      (local.set $v (v128.load (i32.add (local.get $xs) (i32.shl (local.get $i) (i32.const 3)))))
      (v128.store (i32.add (local.get $xe) (i32.shl (local.get $i) (i32.const 3)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $v) (local.get $v))))
      (v128.store (i32.add (local.get $xo) (i32.shl (local.get $i) (i32.const 3)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $v) (local.get $v))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $split (i32.lt_u (local.get $i) (local.get $len))))
    (local.set $h0 (v128.load64_splat (local.get $h)))
    (local.set $h1 (v128.load64_splat offset=8 (local.get $h)))
    (local.set $h3 (v128.load64_splat offset=16 (local.get $h)))
    (local.set $h5 (v128.load64_splat offset=24 (local.get $h)))
    (local.set $h7 (v128.load64_splat offset=32 (local.get $h)))
    (local.set $h9 (v128.load64_splat offset=40 (local.get $h)))
    (local.set $h11 (v128.load64_splat offset=48 (local.get $h)))
    (local.set $i (i32.const 0))
    (block $done
      (br_if $done (i32.eqz (local.get $count)))
      (loop $each
        (local.set $e (i32.add (local.get $xe) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $o (i32.add (local.get $xo) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $y (f64x2.mul (local.get $h0) (v128.load offset=48 (local.get $e))))
        (local.set $y (f64x2.add (local.get $y) (f64x2.mul (local.get $h1)
          (f64x2.add (v128.load offset=40 (local.get $o)) (v128.load offset=48 (local.get $o))))))
        (local.set $y (f64x2.add (local.get $y) (f64x2.mul (local.get $h3)
          (f64x2.add (v128.load offset=32 (local.get $o)) (v128.load offset=56 (local.get $o))))))
        (local.set $y (f64x2.add (local.get $y) (f64x2.mul (local.get $h5)
          (f64x2.add (v128.load offset=24 (local.get $o)) (v128.load offset=64 (local.get $o))))))
        (local.set $y (f64x2.add (local.get $y) (f64x2.mul (local.get $h7)
          (f64x2.add (v128.load offset=16 (local.get $o)) (v128.load offset=72 (local.get $o))))))
        (local.set $y (f64x2.add (local.get $y) (f64x2.mul (local.get $h9)
          (f64x2.add (v128.load offset=8 (local.get $o)) (v128.load offset=80 (local.get $o))))))
        (local.set $y (f64x2.add (local.get $y) (f64x2.mul (local.get $h11)
          (f64x2.add (v128.load (local.get $o)) (v128.load offset=88 (local.get $o))))))
        (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $y)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br_if $each (i32.lt_u (local.get $i) (local.get $count))))))

  ;; One pair of pitch.ts's steps: the NCCF of each over lags $lo..$hi. Step A's span is the f32 samples
  ;; at $dA ($span of them, zeros already in place outside the signal), its window the first $window;
  ;; $eA the prefix sums of the squares, E[j] = energy at the span's start + j (j <= $span, clamped to
  ;; the signal). The same for step B at $dB, $eB ($hasB = 0: $dB points at zeros and B's row is not
  ;; written). The windows are packed as (A, B) into $in up to $window, the spans into $inB up to
  ;; $span (the slots beyond stay zero), $xcorr correlates them, and row p (f64 at $rows + p*8*($hi + 2),
  ;; index lag) gets corr/n / sqrt(ea * (E[lag + window] - E[lag])), 0 where that product is not above
  ;; $tiny; ea = E[window] - E[0]. Two lags per vector: with an odd count, lag $hi + 1 is written too
  ;; (from E[$span + 1], which must be readable).
  (func $pitchPair (param $n i32) (param $radix2 i32) (param $tw i32) (param $in i32) (param $base i32)
    (param $inB i32) (param $inC i32) (param $spA i32)
    (param $dA i32) (param $eA i32) (param $dB i32) (param $eB i32) (param $hasB i32)
    (param $window i32) (param $span i32) (param $lo i32) (param $hi i32) (param $tiny f64) (param $rows i32)
    (local $i i32) (local $v v128) (local $lo2 v128) (local $hi2 v128)
    ;; samples i, i + 1 of both steps: (a_i, b_i, a_i+1, b_i+1), promoted in two halves
    (block $windowDone
      (loop $both
        (br_if $windowDone (i32.ge_u (local.get $i) (local.get $window)))
        (local.set $v (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
          (v128.load64_zero (i32.add (local.get $dA) (i32.shl (local.get $i) (i32.const 2))))
          (v128.load64_zero (i32.add (local.get $dB) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $lo2 (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi2 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v))))
        (v128.store (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 4))) (local.get $lo2))
        (v128.store offset=16 (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 4))) (local.get $hi2))
        (v128.store (i32.add (local.get $inB) (i32.shl (local.get $i) (i32.const 4))) (local.get $lo2))
        (v128.store offset=16 (i32.add (local.get $inB) (i32.shl (local.get $i) (i32.const 4))) (local.get $hi2))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $both)))
    (block $spanDone
      (loop $spans
        (br_if $spanDone (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $span)))
        (local.set $v (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
          (v128.load64_zero (i32.add (local.get $dA) (i32.shl (local.get $i) (i32.const 2))))
          (v128.load64_zero (i32.add (local.get $dB) (i32.shl (local.get $i) (i32.const 2))))))
        (v128.store (i32.add (local.get $inB) (i32.shl (local.get $i) (i32.const 4))) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (i32.add (local.get $inB) (i32.shl (local.get $i) (i32.const 4)))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $spans)))
    (if (i32.lt_u (local.get $i) (local.get $span))
      (then
        (v128.store (i32.add (local.get $inB) (i32.shl (local.get $i) (i32.const 4)))
          (f64x2.replace_lane 1
            (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $dA) (i32.shl (local.get $i) (i32.const 2))))))
            (f64.promote_f32 (f32.load (i32.add (local.get $dB) (i32.shl (local.get $i) (i32.const 2)))))))))
    (call $xcorr (local.get $n) (local.get $radix2) (local.get $tw) (local.get $in) (local.get $base)
      (local.get $inB) (local.get $inC) (local.get $spA))
    (call $nccfRow (local.get $eA) (i32.const 0) (local.get $window) (local.get $lo) (local.get $hi) (local.get $tiny) (local.get $n) (local.get $rows))
    (if (local.get $hasB)
      (then
        (call $nccfRow (local.get $eB) (i32.const 8) (local.get $window) (local.get $lo) (local.get $hi) (local.get $tiny) (local.get $n)
          (i32.add (local.get $rows) (i32.shl (i32.add (local.get $hi) (i32.const 2)) (i32.const 3)))))))

  ;; pitchPair's row for one part ($part: byte 0 or 8 of each correlation value at 0).
  (func $nccfRow (param $e i32) (param $part i32) (param $window i32) (param $lo i32) (param $hi i32) (param $tiny f64) (param $n i32) (param $row i32)
    (local $lag i32) (local $ea v128) (local $den v128) (local $c v128) (local $inv v128) (local $tv v128) (local $w8 i32)
    (local.set $w8 (i32.shl (local.get $window) (i32.const 3)))
    (local.set $ea (f64x2.splat (f64.sub (f64.load (i32.add (local.get $e) (local.get $w8))) (f64.load (local.get $e)))))
    ;; 1/n is a power of two: multiplying by it is dividing by n
    (local.set $inv (f64x2.splat (f64.div (f64.const 1) (f64.convert_i32_u (local.get $n)))))
    (local.set $tv (f64x2.splat (local.get $tiny)))
    (local.set $lag (local.get $lo))
    (loop $lags
      (local.set $den (f64x2.mul (local.get $ea)
        (f64x2.sub (v128.load (i32.add (local.get $e) (i32.add (i32.shl (local.get $lag) (i32.const 3)) (local.get $w8))))
          (v128.load (i32.add (local.get $e) (i32.shl (local.get $lag) (i32.const 3)))))))
      (local.set $c (f64x2.replace_lane 1
        (f64x2.splat (f64.load (i32.add (i32.shl (local.get $lag) (i32.const 4)) (local.get $part))))
        (f64.load offset=16 (i32.add (i32.shl (local.get $lag) (i32.const 4)) (local.get $part)))))
      (v128.store (i32.add (local.get $row) (i32.shl (local.get $lag) (i32.const 3)))
        (v128.and
          (f64x2.div (f64x2.mul (local.get $c) (local.get $inv)) (f64x2.sqrt (local.get $den)))
          (f64x2.gt (local.get $den) (local.get $tv))))
      (local.set $lag (i32.add (local.get $lag) (i32.const 2)))
      (br_if $lags (i32.le_s (local.get $lag) (local.get $hi)))))

  ;; ==== an2 (lane an2, session 12): harmonic/percussive split, time-domain passes ====

  ;; The median of 9 values lane by lane (i32 bit patterns of float32 values >= 0): the three runs of three
  ;; sorted (lo <= mid <= hi), then the median of (the largest lo, the median of the mids, the smallest hi),
  ;; as hpss.ts's median9 computed it.
  (func $med9 (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128) (param $a4 v128)
    (param $a5 v128) (param $a6 v128) (param $a7 v128) (param $a8 v128) (result v128)
    (local $l1 v128) (local $h1 v128) (local $m2 v128)
    (local $lo0 v128) (local $mid0 v128) (local $hi0 v128) (local $lo1 v128) (local $mid1 v128) (local $hi1 v128)
    (local $lo2 v128) (local $mid2 v128) (local $hi2 v128) (local $maxLo v128) (local $minHi v128) (local $mm v128)
    (local.set $l1 (i32x4.min_s (local.get $a0) (local.get $a1)))
    (local.set $h1 (i32x4.max_s (local.get $a0) (local.get $a1)))
    (local.set $m2 (i32x4.min_s (local.get $h1) (local.get $a2)))
    (local.set $hi0 (i32x4.max_s (local.get $h1) (local.get $a2)))
    (local.set $lo0 (i32x4.min_s (local.get $l1) (local.get $m2)))
    (local.set $mid0 (i32x4.max_s (local.get $l1) (local.get $m2)))
    (local.set $l1 (i32x4.min_s (local.get $a3) (local.get $a4)))
    (local.set $h1 (i32x4.max_s (local.get $a3) (local.get $a4)))
    (local.set $m2 (i32x4.min_s (local.get $h1) (local.get $a5)))
    (local.set $hi1 (i32x4.max_s (local.get $h1) (local.get $a5)))
    (local.set $lo1 (i32x4.min_s (local.get $l1) (local.get $m2)))
    (local.set $mid1 (i32x4.max_s (local.get $l1) (local.get $m2)))
    (local.set $l1 (i32x4.min_s (local.get $a6) (local.get $a7)))
    (local.set $h1 (i32x4.max_s (local.get $a6) (local.get $a7)))
    (local.set $m2 (i32x4.min_s (local.get $h1) (local.get $a8)))
    (local.set $hi2 (i32x4.max_s (local.get $h1) (local.get $a8)))
    (local.set $lo2 (i32x4.min_s (local.get $l1) (local.get $m2)))
    (local.set $mid2 (i32x4.max_s (local.get $l1) (local.get $m2)))
    (local.set $maxLo (i32x4.max_s (i32x4.max_s (local.get $lo0) (local.get $lo1)) (local.get $lo2)))
    (local.set $minHi (i32x4.min_s (i32x4.min_s (local.get $hi0) (local.get $hi1)) (local.get $hi2)))
    (local.set $mm (i32x4.max_s (i32x4.min_s (local.get $mid0) (local.get $mid1))
      (i32x4.min_s (i32x4.max_s (local.get $mid0) (local.get $mid1)) (local.get $mid2))))
    (i32x4.max_s (i32x4.min_s (local.get $maxLo) (local.get $mm))
      (i32x4.min_s (i32x4.max_s (local.get $maxLo) (local.get $mm)) (local.get $minHi))))

  ;; hpss.ts's split for cells $c0 .. $c1-1 of a clip of $cells cells (2 frames each), 64 bands (2 bins each).
  ;; $mg: f32 magnitude rows of $bins, $nf of them, the first being frame 2 * $first; the cells $first ..
  ;; $end-1 they hold are pooled (f64 sum of a frame's two bins added to the cell in f32, as hpss.ts did;
  ;; a cell with one frame doubled) into $rows: row r is cell $c0 - 4 + r (clamped to the clip), 72 i32:
  ;; 4 copies of band 0, the 64 bands, 4 copies of band 63. The median over 9 cells (harmonic) and over 9
  ;; bands (percussive) of each cell, four bands per i32x4, to i32 $hm and $pc (64 per cell). Then per cell
  ;; the soft-mask energies, added over bands in order, two cells per f64x2: f64 (eh, ep) at $out + 16 (c - $c0).
  (func (export "hpss") (param $mg i32) (param $bins i32) (param $nf i32) (param $first i32) (param $end i32)
    (param $c0 i32) (param $c1 i32) (param $cells i32) (param $rows i32) (param $hm i32) (param $pc i32) (param $out i32)
    (local $c i32) (local $b i32) (local $r i32) (local $m i32) (local $lf i32) (local $s f32) (local $k i32)
    (local $src i32) (local $q i32) (local $g i32) (local $o i32) (local $nr i32) (local $r2 i32) (local $o2 i32)
    (local $sv v128) (local $hv v128) (local $pv v128) (local $h2 v128) (local $p2 v128) (local $tot v128)
    (local $mh v128) (local $x v128) (local $eh v128) (local $ep v128)
    ;; pooling: frames of cell c at local rows 2 (c - first) and + 1
    (local.set $c (local.get $first))
    (block $pooled
      (br_if $pooled (i32.ge_s (local.get $c) (local.get $end)))
      (loop $cell
        (local.set $r (i32.add (local.get $rows) (i32.mul (i32.add (i32.sub (local.get $c) (local.get $c0)) (i32.const 4)) (i32.const 288))))
        (local.set $lf (i32.shl (i32.sub (local.get $c) (local.get $first)) (i32.const 1)))
        (local.set $m (i32.add (local.get $mg) (i32.shl (i32.mul (local.get $lf) (local.get $bins)) (i32.const 2))))
        (local.set $b (i32.const 0))
        (loop $band
          (local.set $s (f32.demote_f64 (f64.add (f64.add (f64.const 0) (f64.promote_f32 (f32.load (local.get $m))))
            (f64.promote_f32 (f32.load offset=4 (local.get $m))))))
          (if (i32.lt_s (i32.add (local.get $lf) (i32.const 1)) (local.get $nf))
            (then
              (local.set $q (i32.add (local.get $m) (i32.shl (local.get $bins) (i32.const 2))))
              (local.set $s (f32.demote_f64 (f64.add (f64.promote_f32 (local.get $s))
                (f64.add (f64.add (f64.const 0) (f64.promote_f32 (f32.load (local.get $q)))) (f64.promote_f32 (f32.load offset=4 (local.get $q))))))))
            (else (local.set $s (f32.mul (local.get $s) (f32.const 2)))))
          (f32.store offset=16 (i32.add (local.get $r) (i32.shl (local.get $b) (i32.const 2))) (local.get $s))
          (local.set $m (i32.add (local.get $m) (i32.const 8)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $band (i32.lt_u (local.get $b) (i32.const 64))))
        ;; the band edges' copies
        (v128.store (local.get $r) (i32x4.splat (i32.load offset=16 (local.get $r))))
        (v128.store offset=272 (local.get $r) (i32x4.splat (i32.load offset=268 (local.get $r))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $cell (i32.lt_s (local.get $c) (local.get $end)))))
    ;; rows of cells outside the clip: copies of its first or last cell
    (local.set $nr (i32.add (i32.sub (local.get $c1) (local.get $c0)) (i32.const 8)))
    (local.set $k (i32.const 0))
    (loop $pad
      (local.set $c (i32.add (i32.sub (local.get $c0) (i32.const 4)) (local.get $k)))
      (if (i32.or (i32.lt_s (local.get $c) (i32.const 0)) (i32.ge_s (local.get $c) (local.get $cells)))
        (then
          (local.set $src (i32.add (local.get $rows) (i32.mul (i32.add (i32.sub
            (select (i32.const 0) (i32.sub (local.get $cells) (i32.const 1)) (i32.lt_s (local.get $c) (i32.const 0)))
            (local.get $c0)) (i32.const 4)) (i32.const 288))))
          (local.set $r (i32.add (local.get $rows) (i32.mul (local.get $k) (i32.const 288))))
          (local.set $b (i32.const 0))
          (loop $copy
            (v128.store (i32.add (local.get $r) (local.get $b)) (v128.load (i32.add (local.get $src) (local.get $b))))
            (local.set $b (i32.add (local.get $b) (i32.const 16)))
            (br_if $copy (i32.lt_u (local.get $b) (i32.const 288))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $pad (i32.lt_u (local.get $k) (local.get $nr))))
    ;; the medians
    (local.set $c (local.get $c0))
    (block $filtered
      (br_if $filtered (i32.ge_s (local.get $c) (local.get $c1)))
      (loop $cell2
        ;; $r: row of cell c - 4; $q: row of cell c
        (local.set $r (i32.add (local.get $rows) (i32.mul (i32.sub (local.get $c) (local.get $c0)) (i32.const 288))))
        (local.set $q (i32.add (local.get $r) (i32.const 1152)))
        (local.set $o (i32.shl (i32.sub (local.get $c) (local.get $c0)) (i32.const 8)))
        (local.set $g (i32.const 0))
        (loop $group
          (v128.store (i32.add (local.get $hm) (i32.add (local.get $o) (local.get $g)))
            (call $med9
              (v128.load offset=16 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=304 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=592 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=880 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=1168 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=1456 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=1744 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=2032 (i32.add (local.get $r) (local.get $g)))
              (v128.load offset=2320 (i32.add (local.get $r) (local.get $g)))))
          (v128.store (i32.add (local.get $pc) (i32.add (local.get $o) (local.get $g)))
            (call $med9
              (v128.load offset=0 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=4 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=8 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=12 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=16 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=20 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=24 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=28 (i32.add (local.get $q) (local.get $g)))
              (v128.load offset=32 (i32.add (local.get $q) (local.get $g)))))
          (local.set $g (i32.add (local.get $g) (i32.const 16)))
          (br_if $group (i32.lt_u (local.get $g) (i32.const 256))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $cell2 (i32.lt_s (local.get $c) (local.get $c1)))))
    ;; the energies: lane 0 cell c, lane 1 cell c + 1 (c again past the end)
    (local.set $c (local.get $c0))
    (block $summed
      (br_if $summed (i32.ge_s (local.get $c) (local.get $c1)))
      (loop $pair
        (local.set $r (i32.add (local.get $rows) (i32.mul (i32.add (i32.sub (local.get $c) (local.get $c0)) (i32.const 4)) (i32.const 288))))
        (local.set $o (i32.shl (i32.sub (local.get $c) (local.get $c0)) (i32.const 8)))
        (local.set $r2 (select (i32.add (local.get $r) (i32.const 288)) (local.get $r) (i32.lt_s (i32.add (local.get $c) (i32.const 1)) (local.get $c1))))
        (local.set $o2 (select (i32.add (local.get $o) (i32.const 256)) (local.get $o) (i32.lt_s (i32.add (local.get $c) (i32.const 1)) (local.get $c1))))
        (local.set $eh (f64x2.splat (f64.const 0)))
        (local.set $ep (f64x2.splat (f64.const 0)))
        (local.set $b (i32.const 0))
        (loop $band2
          (local.set $sv (f64x2.promote_low_f32x4 (v128.load32_lane offset=16 1 (i32.add (local.get $r2) (local.get $b))
            (v128.load32_zero offset=16 (i32.add (local.get $r) (local.get $b))))))
          (local.set $hv (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $hm) (i32.add (local.get $o2) (local.get $b)))
            (v128.load32_zero (i32.add (local.get $hm) (i32.add (local.get $o) (local.get $b)))))))
          (local.set $pv (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $pc) (i32.add (local.get $o2) (local.get $b)))
            (v128.load32_zero (i32.add (local.get $pc) (i32.add (local.get $o) (local.get $b)))))))
          (local.set $h2 (f64x2.mul (local.get $hv) (local.get $hv)))
          (local.set $p2 (f64x2.mul (local.get $pv) (local.get $pv)))
          (local.set $tot (f64x2.add (local.get $h2) (local.get $p2)))
          ;; H^2 / (H^2 + P^2), 0.5 where that sum is not > 0
          (local.set $mh (v128.bitselect (f64x2.div (local.get $h2) (local.get $tot)) (f64x2.splat (f64.const 0.5))
            (f64x2.gt (local.get $tot) (f64x2.splat (f64.const 0)))))
          (local.set $x (f64x2.mul (local.get $sv) (local.get $mh)))
          (local.set $eh (f64x2.add (local.get $eh) (f64x2.mul (local.get $x) (local.get $x))))
          (local.set $x (f64x2.mul (local.get $sv) (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $mh))))
          (local.set $ep (f64x2.add (local.get $ep) (f64x2.mul (local.get $x) (local.get $x))))
          (local.set $b (i32.add (local.get $b) (i32.const 4)))
          (br_if $band2 (i32.lt_u (local.get $b) (i32.const 256))))
        (local.set $k (i32.add (local.get $out) (i32.shl (i32.sub (local.get $c) (local.get $c0)) (i32.const 4))))
        (f64.store (local.get $k) (f64x2.extract_lane 0 (local.get $eh)))
        (f64.store offset=8 (local.get $k) (f64x2.extract_lane 0 (local.get $ep)))
        (if (i32.lt_s (i32.add (local.get $c) (i32.const 1)) (local.get $c1))
          (then
            (f64.store offset=16 (local.get $k) (f64x2.extract_lane 1 (local.get $eh)))
            (f64.store offset=24 (local.get $k) (f64x2.extract_lane 1 (local.get $ep)))))
        (local.set $c (i32.add (local.get $c) (i32.const 2)))
        (br_if $pair (i32.lt_s (local.get $c) (local.get $c1))))))

  ;; temporal.ts / loudness.ts: over $n f32 samples at $x, the sum, the sum of squares (f64, in sample order)
  ;; and the largest |x|, continued from the f64 (sum, sum of squares, peak) at $out and written back there.
  ;; Three independent chains in one pass (one JavaScript loop each before).
  (func (export "moments") (param $x i32) (param $n i32) (param $out i32)
    (local $p i32) (local $end i32) (local $v f64) (local $s f64) (local $q f64) (local $m f64)
    (local.set $s (f64.load (local.get $out)))
    (local.set $q (f64.load offset=8 (local.get $out)))
    (local.set $m (f64.load offset=16 (local.get $out)))
    (local.set $p (local.get $x))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $each
        (local.set $v (f64.promote_f32 (f32.load (local.get $p))))
        (local.set $s (f64.add (local.get $s) (local.get $v)))
        (local.set $q (f64.add (local.get $q) (f64.mul (local.get $v) (local.get $v))))
        (local.set $m (f64.max (local.get $m) (f64.abs (local.get $v))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $each (i32.lt_u (local.get $p) (local.get $end)))))
    (f64.store (local.get $out) (local.get $s))
    (f64.store offset=8 (local.get $out) (local.get $q))
    (f64.store offset=16 (local.get $out) (local.get $m)))

  ;; temporal.ts's blockPowers: for each block of 32 of the $n f32 samples at $x (the last may be shorter),
  ;; the sum in sample order of v * v, v = x - $shift rounded to f32; f64 to $out. Two blocks per f64x2.
  (func (export "blockPowers") (param $x i32) (param $n i32) (param $shift f64) (param $out i32)
    (local $b i32) (local $full i32) (local $p i32) (local $i i32) (local $acc v128) (local $v v128)
    (local $sh v128) (local $s f64) (local $w f64) (local $end i32)
    (local.set $sh (f64x2.splat (local.get $shift)))
    (local.set $full (i32.shr_u (local.get $n) (i32.const 5)))
    (local.set $b (i32.const 0))
    (block $pairs
      (br_if $pairs (i32.lt_u (local.get $full) (i32.const 2)))
      (loop $pair
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $b) (i32.const 7))))
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $i (i32.const 0))
        (loop $each
          (local.set $v (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.sub
            (f64x2.promote_low_f32x4 (v128.load32_lane offset=128 1 (i32.add (local.get $p) (local.get $i))
              (v128.load32_zero (i32.add (local.get $p) (local.get $i)))))
            (local.get $sh)))))
          (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v) (local.get $v))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br_if $each (i32.lt_u (local.get $i) (i32.const 128))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $b) (i32.const 3))) (local.get $acc))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br_if $pair (i32.le_u (i32.add (local.get $b) (i32.const 2)) (local.get $full)))))
    ;; the rest one block at a time (the last may be short)
    (block $done
      (loop $single
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $b) (i32.const 7))))
        (br_if $done (i32.ge_u (i32.shl (local.get $b) (i32.const 5)) (local.get $n)))
        (local.set $end (i32.add (local.get $x) (i32.shl (select (local.get $n) (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 5))
          (i32.lt_u (local.get $n) (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 5)))) (i32.const 2))))
        (local.set $s (f64.const 0))
        (loop $each1
          (local.set $w (f64.promote_f32 (f32.demote_f64 (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (local.get $shift)))))
          (local.set $s (f64.add (local.get $s) (f64.mul (local.get $w) (local.get $w))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br_if $each1 (i32.lt_u (local.get $p) (local.get $end))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $b) (i32.const 3))) (local.get $s))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $single))))

  ;; temporal.ts's blockCrossings: for each block of 32 of the $n f32 samples at $x (the last may be
  ;; shorter), how many samples differ in sign (x < 0 or not) from the one before; the f32 at $x - 4 stands
  ;; for the sample before the first. Counts as f64 to $out. Four samples per i32x4 (masks -1 / 0).
  (func (export "crossings") (param $x i32) (param $n i32) (param $out i32)
    (local $b i32) (local $full i32) (local $p i32) (local $acc v128) (local $zero v128) (local $c i32)
    (local $end i32) (local $i i32)
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $full (i32.shr_u (local.get $n) (i32.const 5)))
    (local.set $b (i32.const 0))
    (block $fulls
      (br_if $fulls (i32.eqz (local.get $full)))
      (loop $block
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $b) (i32.const 7))))
        (local.set $acc (i32x4.splat (i32.const 0)))
        (local.set $i (i32.const 0))
        (loop $each
          (local.set $acc (i32x4.sub (local.get $acc) (v128.xor
            (f32x4.lt (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $zero))
            (f32x4.lt (v128.load offset=0 (i32.sub (i32.add (local.get $p) (local.get $i)) (i32.const 4))) (local.get $zero)))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br_if $each (i32.lt_u (local.get $i) (i32.const 128))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $b) (i32.const 3)))
          (f64.convert_i32_s (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $block (i32.lt_u (local.get $b) (local.get $full)))))
    ;; a short last block
    (if (i32.lt_u (i32.shl (local.get $full) (i32.const 5)) (local.get $n))
      (then
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $full) (i32.const 7))))
        (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $c (i32.const 0))
        (loop $each1
          (local.set $c (i32.add (local.get $c) (i32.xor
            (f32.lt (f32.load (local.get $p)) (f32.const 0))
            (f32.lt (f32.load offset=0 (i32.sub (local.get $p) (i32.const 4))) (f32.const 0)))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br_if $each1 (i32.lt_u (local.get $p) (local.get $end))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $full) (i32.const 3))) (f64.convert_i32_s (local.get $c))))))

  ;; vad.ts's analyse: for each of the $blocks blocks of $len f32 samples at $x, the sum and the sum of
  ;; squares in sample order (f64, to $sum and $sq), two blocks per f64x2.
  (func (export "blockSums") (param $x i32) (param $len i32) (param $blocks i32) (param $sum i32) (param $sq i32)
    (local $b i32) (local $p i32) (local $i i32) (local $end i32) (local $stride i32)
    (local $s v128) (local $q v128) (local $v v128) (local $s1 f64) (local $q1 f64) (local $w f64)
    (local.set $stride (i32.shl (local.get $len) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $pairs
      (br_if $pairs (i32.lt_u (local.get $blocks) (i32.const 2)))
      (loop $pair
        (local.set $p (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $stride))))
        (local.set $end (i32.add (local.get $p) (local.get $stride)))
        (local.set $s (f64x2.splat (f64.const 0)))
        (local.set $q (f64x2.splat (f64.const 0)))
        (loop $each
          (local.set $v (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $p) (local.get $stride))
            (v128.load32_zero (local.get $p)))))
          (local.set $s (f64x2.add (local.get $s) (local.get $v)))
          (local.set $q (f64x2.add (local.get $q) (f64x2.mul (local.get $v) (local.get $v))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br_if $each (i32.lt_u (local.get $p) (local.get $end))))
        (v128.store (i32.add (local.get $sum) (i32.shl (local.get $b) (i32.const 3))) (local.get $s))
        (v128.store (i32.add (local.get $sq) (i32.shl (local.get $b) (i32.const 3))) (local.get $q))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br_if $pair (i32.le_u (i32.add (local.get $b) (i32.const 2)) (local.get $blocks)))))
    (if (i32.lt_u (local.get $b) (local.get $blocks))
      (then
        (local.set $p (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $stride))))
        (local.set $end (i32.add (local.get $p) (local.get $stride)))
        (local.set $s1 (f64.const 0))
        (local.set $q1 (f64.const 0))
        (loop $each1
          (local.set $w (f64.promote_f32 (f32.load (local.get $p))))
          (local.set $s1 (f64.add (local.get $s1) (local.get $w)))
          (local.set $q1 (f64.add (local.get $q1) (f64.mul (local.get $w) (local.get $w))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br_if $each1 (i32.lt_u (local.get $p) (local.get $end))))
        (f64.store (i32.add (local.get $sum) (i32.shl (local.get $b) (i32.const 3))) (local.get $s1))
        (f64.store (i32.add (local.get $sq) (i32.shl (local.get $b) (i32.const 3))) (local.get $q1)))))

  ;; formants.ts's Levinson-Durbin: LPC coefficients (f64 a[0..$order], a[0] = 1) from the autocorrelation
  ;; (f64 r at $r), f64 scratch at $prev; 0 if the recursion goes unstable (the error not > 0), else 1.
  (func $levinson (export "levinson") (param $r i32) (param $order i32) (param $a i32) (param $prev i32) (result i32)
    (local $i i32) (local $j i32) (local $e f64) (local $acc f64) (local $k f64)
    (local.set $j (i32.const 0))
    (loop $zero
      (f64.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $zero (i32.le_u (local.get $j) (local.get $order))))
    (f64.store (local.get $a) (f64.const 1))
    (local.set $e (f64.load (local.get $r)))
    (if (i32.eqz (f64.gt (local.get $e) (f64.const 0))) (then (return (i32.const 0))))
    (local.set $i (i32.const 1))
    (block $done
      (br_if $done (i32.gt_u (local.get $i) (local.get $order)))
      (loop $step
        (local.set $acc (f64.load (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $j (i32.const 1))
        (block $accd
          (br_if $accd (i32.ge_u (local.get $j) (local.get $i)))
          (loop $accl
            (local.set $acc (f64.add (local.get $acc) (f64.mul
              (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
              (f64.load (i32.add (local.get $r) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $accl (i32.lt_u (local.get $j) (local.get $i)))))
        (local.set $k (f64.div (f64.neg (local.get $acc)) (local.get $e)))
        (local.set $j (i32.const 1))
        (block $copyd
          (br_if $copyd (i32.ge_u (local.get $j) (local.get $i)))
          (loop $copyl
            (f64.store (i32.add (local.get $prev) (i32.shl (local.get $j) (i32.const 3)))
              (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $copyl (i32.lt_u (local.get $j) (local.get $i)))))
        (local.set $j (i32.const 1))
        (block $updd
          (br_if $updd (i32.ge_u (local.get $j) (local.get $i)))
          (loop $updl
            (f64.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3)))
              (f64.add (f64.load (i32.add (local.get $prev) (i32.shl (local.get $j) (i32.const 3))))
                (f64.mul (local.get $k) (f64.load (i32.add (local.get $prev) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $updl (i32.lt_u (local.get $j) (local.get $i)))))
        (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (local.get $k))
        (local.set $e (f64.mul (local.get $e) (f64.sub (f64.const 1) (f64.mul (local.get $k) (local.get $k)))))
        (if (i32.eqz (f64.gt (local.get $e) (f64.const 0))) (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $step (i32.le_u (local.get $i) (local.get $order)))))
    (i32.const 1))

  ;; formants.ts's per-frame LPC roots (order 10, a 256-point window): if $xs >= 0 the window is the f32
  ;; signal from $xs + 4 pre-emphasised against the sample before ((x[i] - 0.97 x[i-1]) * hamming[i], f64
  ;; window at $ham, two samples per f64x2) into the f64 buffer at $buf (16 bytes of memory before it);
  ;; else the caller wrote it. Then the autocorrelation (f64 r at $r; r[0] times $r0), Levinson-Durbin (a at
  ;; $a, scratch at $prev): 0 if unstable. Then the roots (re, im at $re, $im): when $warm, from the last
  ;; frame's roots turned by ($nc, $ns) for up to 60 sweeps; if not settled (or not $warm), from the 10
  ;; starting points (re, im pairs at $cold) for up to 200. Returns 1 once solved.
  (func $lpcRoots (export "lpcRoots") (param $xs i32) (param $ham i32) (param $buf i32) (param $r i32) (param $r0 f64)
    (param $a i32) (param $prev i32) (param $re i32) (param $im i32) (param $cold i32) (param $nc f64) (param $ns f64)
    (param $warm i32) (result i32)
    (local $i i32) (local $x f64) (local $y f64) (local $pre v128)
    (if (i32.ge_s (local.get $xs) (i32.const 0))
      (then
        (local.set $pre (f64x2.splat (f64.const 0.97)))
        (local.set $i (i32.const 0))
        (loop $w
          (v128.store (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 3)))
            (f64x2.mul
              (f64x2.sub
                (f64x2.promote_low_f32x4 (v128.load64_zero offset=4 (i32.add (local.get $xs) (i32.shl (local.get $i) (i32.const 2)))))
                (f64x2.mul (local.get $pre) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xs) (i32.shl (local.get $i) (i32.const 2)))))))
              (v128.load (i32.add (local.get $ham) (i32.shl (local.get $i) (i32.const 3))))))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br_if $w (i32.lt_u (local.get $i) (i32.const 256))))))
    (call $autocorrelation (local.get $buf) (i32.const 256) (i32.const 10) (local.get $r))
    (f64.store (local.get $r) (f64.mul (f64.load (local.get $r)) (local.get $r0)))
    (if (i32.eqz (call $levinson (local.get $r) (i32.const 10) (local.get $a) (local.get $prev))) (then (return (i32.const 0))))
    (if (local.get $warm)
      (then
        (local.set $i (i32.const 0))
        (loop $nudge
          (local.set $x (f64.load (i32.add (local.get $re) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $y (f64.load (i32.add (local.get $im) (i32.shl (local.get $i) (i32.const 3)))))
          (f64.store (i32.add (local.get $re) (i32.shl (local.get $i) (i32.const 3)))
            (f64.sub (f64.mul (local.get $x) (local.get $nc)) (f64.mul (local.get $y) (local.get $ns))))
          (f64.store (i32.add (local.get $im) (i32.shl (local.get $i) (i32.const 3)))
            (f64.add (f64.mul (local.get $x) (local.get $ns)) (f64.mul (local.get $y) (local.get $nc))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $nudge (i32.lt_u (local.get $i) (i32.const 10))))
        (if (call $roots (local.get $a) (local.get $re) (local.get $im) (i32.const 10) (i32.const 60)) (then (return (i32.const 1))))))
    (local.set $i (i32.const 0))
    (loop $start
      (f64.store (i32.add (local.get $re) (i32.shl (local.get $i) (i32.const 3)))
        (f64.load (i32.add (local.get $cold) (i32.shl (local.get $i) (i32.const 4)))))
      (f64.store (i32.add (local.get $im) (i32.shl (local.get $i) (i32.const 3)))
        (f64.load offset=8 (i32.add (local.get $cold) (i32.shl (local.get $i) (i32.const 4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $start (i32.lt_u (local.get $i) (i32.const 10))))
    (drop (call $roots (local.get $a) (local.get $re) (local.get $im) (i32.const 10) (i32.const 200)))
    (i32.const 1))
;; ==== an1 (lane an1, session 13): the analysis floor, toDb, WAV int16 (on the feature kernels' memory) ====

  ;; extract.ts's addFloorInto, in place on the $n f32 samples at $x: x = f32((x - $shift) * $scale) +
  ;; $sigma * (u1 + u2 - 1), rounded to f32, where u1, u2 are the next two states of the LCG
  ;; s = 1664525 s + 1013904223 (mod 2^32) from $s, over 2^32. Returns the last state. Four samples per
  ;; loop: lanes of $e hold the states of their u1, of $o those of their u2 (8 steps apart per lane, so
  ;; each lane steps by the 8-fold map); every value is the same IEEE operation as in JavaScript.
  (func (export "noiseFloor") (param $x i32) (param $n i32) (param $shift f64) (param $scale f64) (param $sigma f64)
    (param $s i32) (result i32)
    (local $a8 i32) (local $c8 i32) (local $j i32) (local $e v128) (local $o v128) (local $end i32)
    (local $sh v128) (local $sc v128) (local $sg v128) (local $inv v128) (local $one v128) (local $v v128)
    (local $lo v128) (local $hi v128) (local $u1 f64)
    ;; the 8-step map s -> a8 s + c8, and the first four samples' states
    (local.set $a8 (i32.const 1))
    (local.set $j (i32.const 0))
    (loop $compose
      (local.set $a8 (i32.mul (local.get $a8) (i32.const 1664525)))
      (local.set $c8 (i32.add (i32.mul (local.get $c8) (i32.const 1664525)) (i32.const 1013904223)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $compose (i32.lt_u (local.get $j) (i32.const 8))))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $e (i32x4.replace_lane 0 (local.get $e) (local.get $s)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $o (i32x4.replace_lane 0 (local.get $o) (local.get $s)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $e (i32x4.replace_lane 1 (local.get $e) (local.get $s)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $o (i32x4.replace_lane 1 (local.get $o) (local.get $s)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $e (i32x4.replace_lane 2 (local.get $e) (local.get $s)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $o (i32x4.replace_lane 2 (local.get $o) (local.get $s)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $e (i32x4.replace_lane 3 (local.get $e) (local.get $s)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $o (i32x4.replace_lane 3 (local.get $o) (local.get $s)))
        (local.set $sh (f64x2.splat (local.get $shift)))
        (local.set $sc (f64x2.splat (local.get $scale)))
        (local.set $sg (f64x2.splat (local.get $sigma)))
        (local.set $inv (f64x2.splat (f64.const 0x1p-32)))
        (local.set $one (f64x2.splat (f64.const 1)))
        (loop $four
          (local.set $v (v128.load (local.get $x)))
          ;; samples 0 and 1 of the four
          (local.set $lo (f64x2.add
            (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (local.get $sh)) (local.get $sc))))
            (f64x2.mul (local.get $sg) (f64x2.sub (f64x2.add
              (f64x2.mul (f64x2.convert_low_i32x4_u (local.get $e)) (local.get $inv))
              (f64x2.mul (f64x2.convert_low_i32x4_u (local.get $o)) (local.get $inv))) (local.get $one)))))
          ;; samples 2 and 3
          (local.set $hi (f64x2.add
            (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
              (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (local.get $sh)) (local.get $sc))))
            (f64x2.mul (local.get $sg) (f64x2.sub (f64x2.add
              (f64x2.mul (f64x2.convert_low_i32x4_u
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e))) (local.get $inv))
              (f64x2.mul (f64x2.convert_low_i32x4_u
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $o) (local.get $o))) (local.get $inv))) (local.get $one)))))
          (v128.store (local.get $x) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
          (local.set $s (i32x4.extract_lane 3 (local.get $o)))
          (local.set $e (i32x4.add (i32x4.mul (local.get $e) (i32x4.splat (local.get $a8))) (i32x4.splat (local.get $c8))))
          (local.set $o (i32x4.add (i32x4.mul (local.get $o) (i32x4.splat (local.get $a8))) (i32x4.splat (local.get $c8))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (br_if $four (i32.lt_u (local.get $x) (local.get $end))))))
    ;; the last n mod 4 samples one at a time
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (loop $single
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $u1 (f64.mul (f64.convert_i32_u (local.get $s)) (f64.const 0x1p-32)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (f32.store (local.get $x) (f32.demote_f64 (f64.add
          (f64.promote_f32 (f32.demote_f64 (f64.mul (f64.sub (f64.promote_f32 (f32.load (local.get $x))) (local.get $shift)) (local.get $scale))))
          (f64.mul (local.get $sigma) (f64.sub (f64.add (local.get $u1) (f64.mul (f64.convert_i32_u (local.get $s)) (f64.const 0x1p-32))) (f64.const 1))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br_if $single (i32.lt_u (local.get $x) (local.get $end)))))
    (local.get $s))

  ;; mel.ts's toDb: for i < $n, db = $scale * ln(max(e[i], $amin)) (f64 e at $e, overwritten by db; ln as
  ;; Math.log through $logRow, $c its constants), db rounded to f32 at $out. Returns the largest db as
  ;; JavaScript's `if (db > max) max = db` from -inf finds it (pmax is that comparison, lane by lane).
  (func (export "dbRow") (param $c i32) (param $e i32) (param $n i32) (param $amin f64) (param $scale f64)
    (param $out i32) (result f64)
    (local $p i32) (local $am v128) (local $v v128) (local $mx v128) (local $m f64) (local $d f64)
    (local.set $am (f64x2.splat (local.get $amin)))
    (block $floored
      (loop $floor
        (br_if $floored (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $n)))
        (v128.store (i32.add (local.get $e) (i32.shl (local.get $p) (i32.const 3)))
          (f64x2.max (v128.load (i32.add (local.get $e) (i32.shl (local.get $p) (i32.const 3)))) (local.get $am)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $floor)))
    (if (i32.lt_u (local.get $p) (local.get $n))
      (then (f64.store (i32.add (local.get $e) (i32.shl (local.get $p) (i32.const 3)))
        (f64.max (f64.load (i32.add (local.get $e) (i32.shl (local.get $p) (i32.const 3)))) (local.get $amin)))))
    (call $logRow (local.get $c) (local.get $e) (local.get $n) (local.get $e) (local.get $scale))
    (local.set $mx (f64x2.splat (f64.const -inf)))
    (local.set $p (i32.const 0))
    (block $rounded
      (loop $round
        (br_if $rounded (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $n)))
        (local.set $v (v128.load (i32.add (local.get $e) (i32.shl (local.get $p) (i32.const 3)))))
        (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v)))
        (local.set $mx (f64x2.pmax (local.get $mx) (local.get $v)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $round)))
    (local.set $m (f64x2.extract_lane 0 (local.get $mx)))
    (local.set $d (f64x2.extract_lane 1 (local.get $mx)))
    (if (f64.gt (local.get $d) (local.get $m)) (then (local.set $m (local.get $d))))
    (if (i32.lt_u (local.get $p) (local.get $n))
      (then
        (local.set $d (f64.load (i32.add (local.get $e) (i32.shl (local.get $p) (i32.const 3)))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 2))) (f32.demote_f64 (local.get $d)))
        (if (f64.gt (local.get $d) (local.get $m)) (then (local.set $m (local.get $d))))))
    (local.get $m))

  ;; wav.ts's 16-bit PCM: $n little-endian i16 at $in to f32 at $out, each times 2^-15 (exact: an i16 is
  ;; exact in f32 and a power-of-two scale only moves the exponent, so these are JavaScript's values).
  ;; Eight per step; the last n mod 8 one at a time.
  (func (export "int16ToFloat") (param $in i32) (param $n i32) (param $out i32)
    (local $end i32) (local $v v128) (local $sc v128)
    (local.set $sc (f32x4.splat (f32.const 0x1p-15)))
    (local.set $end (i32.add (local.get $in) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 1))))
    (block $eights
      (br_if $eights (i32.ge_u (local.get $in) (local.get $end)))
      (loop $eight
        (local.set $v (v128.load (local.get $in)))
        (v128.store (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $v))) (local.get $sc)))
        (v128.store offset=16 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $v))) (local.get $sc)))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br_if $eight (i32.lt_u (local.get $in) (local.get $end)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 1))))
    (block $done
      (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
      (loop $single
        (f32.store (local.get $out) (f32.mul (f32.convert_i32_s (i32.load16_s (local.get $in))) (f32.const 0x1p-15)))
        (local.set $in (i32.add (local.get $in) (i32.const 2)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $single (i32.lt_u (local.get $in) (local.get $end))))))

  ;; BandSums (fft.ts): $frames f32 power rows of $bins at $rows, regrouped for "bands4": for each group g of
  ;; four frames, bin b's four values (frames 4g..4g+3, the last frame standing in for missing ones) as one
  ;; f32x4 at $out + (g * $bins + b) * 16. Four rows by four bins per step (a 4x4 transpose in shuffles).
  (func (export "transpose4") (param $rows i32) (param $frames i32) (param $bins i32) (param $out i32)
    (local $g i32) (local $last i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $b i32) (local $o i32) (local $row i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (if (i32.eqz (local.get $frames)) (then (return)))
    (local.set $last (i32.sub (local.get $frames) (i32.const 1)))
    (local.set $row (i32.shl (local.get $bins) (i32.const 2)))
    (loop $group
      (local.set $r0 (i32.add (local.get $rows) (i32.mul (local.get $g) (local.get $row))))
      (local.set $r1 (i32.add (local.get $rows) (i32.mul (select (i32.add (local.get $g) (i32.const 1)) (local.get $last)
        (i32.lt_u (i32.add (local.get $g) (i32.const 1)) (local.get $frames))) (local.get $row))))
      (local.set $r2 (i32.add (local.get $rows) (i32.mul (select (i32.add (local.get $g) (i32.const 2)) (local.get $last)
        (i32.lt_u (i32.add (local.get $g) (i32.const 2)) (local.get $frames))) (local.get $row))))
      (local.set $r3 (i32.add (local.get $rows) (i32.mul (select (i32.add (local.get $g) (i32.const 3)) (local.get $last)
        (i32.lt_u (i32.add (local.get $g) (i32.const 3)) (local.get $frames))) (local.get $row))))
      (local.set $b (i32.const 0))
      (block $blocks
        (br_if $blocks (i32.gt_u (i32.add (local.get $b) (i32.const 4)) (local.get $bins)))
        (loop $block
          (local.set $a0 (v128.load (i32.add (local.get $r0) (i32.shl (local.get $b) (i32.const 2)))))
          (local.set $a1 (v128.load (i32.add (local.get $r1) (i32.shl (local.get $b) (i32.const 2)))))
          (local.set $a2 (v128.load (i32.add (local.get $r2) (i32.shl (local.get $b) (i32.const 2)))))
          (local.set $a3 (v128.load (i32.add (local.get $r3) (i32.shl (local.get $b) (i32.const 2)))))
          (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
          (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
          (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
          (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
          (local.set $o (i32.add (local.get $out) (i32.shl (local.get $b) (i32.const 4))))
          (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
          (v128.store offset=16 (local.get $o) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
          (v128.store offset=32 (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))
          (v128.store offset=48 (local.get $o) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3)))
          (local.set $b (i32.add (local.get $b) (i32.const 4)))
          (br_if $block (i32.le_u (i32.add (local.get $b) (i32.const 4)) (local.get $bins)))))
      (block $binsDone
        (br_if $binsDone (i32.ge_u (local.get $b) (local.get $bins)))
        (loop $bin
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $b) (i32.const 4)))
            (v128.load32_lane 3 (i32.add (local.get $r3) (i32.shl (local.get $b) (i32.const 2)))
              (v128.load32_lane 2 (i32.add (local.get $r2) (i32.shl (local.get $b) (i32.const 2)))
                (v128.load32_lane 1 (i32.add (local.get $r1) (i32.shl (local.get $b) (i32.const 2)))
                  (v128.load32_zero (i32.add (local.get $r0) (i32.shl (local.get $b) (i32.const 2))))))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $bin (i32.lt_u (local.get $b) (local.get $bins)))))
      (local.set $out (i32.add (local.get $out) (i32.shl (local.get $bins) (i32.const 4))))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (br_if $group (i32.lt_u (local.get $g) (local.get $frames)))))

  ;; Weighted sums of power bins per band (mel.ts's melDb, chroma.ts's fold; BandSums in fft.ts), four
  ;; frames at once from "transpose4"'s groups at $pt, two f64x2 chains, each lane adding its entries in
  ;; order: band c sums w[j] * p[bin[j]] for j in off[c]..off[c+1]-1 (i32 $off; i32 $idx holds bin * 16, a
  ;; byte offset into a group; f64 $wt), from 0; the sum of frame t, band c goes to f64 $out[t * $nb + c]
  ;; for t < $frames.
  (func (export "bands4") (param $pt i32) (param $frames i32) (param $bins i32) (param $nb i32)
    (param $off i32) (param $idx i32) (param $wt i32) (param $out i32)
    (local $g i32) (local $c i32) (local $j i32) (local $end i32) (local $w v128) (local $v v128)
    (local $acc0 v128) (local $acc1 v128) (local $left i32) (local $o i32) (local $row i32)
    (if (i32.eqz (local.get $frames)) (then (return)))
    (local.set $row (i32.shl (local.get $nb) (i32.const 3)))
    (loop $group
      (local.set $c (i32.const 0))
      (local.set $left (i32.sub (local.get $frames) (local.get $g)))
      (loop $band
        (local.set $acc0 (f64x2.splat (f64.const 0)))
        (local.set $acc1 (f64x2.splat (f64.const 0)))
        (local.set $j (i32.load (i32.add (local.get $off) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $off) (i32.shl (local.get $c) (i32.const 2)))))
        (block $empty
          (br_if $empty (i32.ge_u (local.get $j) (local.get $end)))
          (loop $entry
            (local.set $v (v128.load (i32.add (local.get $pt) (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $w (v128.load64_splat (i32.add (local.get $wt) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $w) (f64x2.promote_low_f32x4 (local.get $v)))))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $w)
              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $entry (i32.lt_u (local.get $j) (local.get $end)))))
        (local.set $o (i32.add (local.get $out) (i32.add (i32.mul (local.get $g) (local.get $row)) (i32.shl (local.get $c) (i32.const 3)))))
        (f64.store (local.get $o) (f64x2.extract_lane 0 (local.get $acc0)))
        (if (i32.gt_u (local.get $left) (i32.const 1)) (then
          (f64.store (i32.add (local.get $o) (local.get $row)) (f64x2.extract_lane 1 (local.get $acc0)))))
        (if (i32.gt_u (local.get $left) (i32.const 2)) (then
          (f64.store (i32.add (local.get $o) (i32.shl (local.get $row) (i32.const 1))) (f64x2.extract_lane 0 (local.get $acc1)))))
        (if (i32.gt_u (local.get $left) (i32.const 3)) (then
          (f64.store (i32.add (local.get $o) (i32.mul (local.get $row) (i32.const 3))) (f64x2.extract_lane 1 (local.get $acc1)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $band (i32.lt_u (local.get $c) (local.get $nb))))
      (local.set $pt (i32.add (local.get $pt) (i32.shl (local.get $bins) (i32.const 4))))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (br_if $group (i32.lt_u (local.get $g) (local.get $frames)))))

  ;; ---- an2 (s13) ----

  ;; The roll-off bin of "shape": the first k < $bins - 1 whose running sum (f64 at $cum + 16k) is not below
  ;; $thr, else $bins - 1; the running sums never decrease, so bisection finds it.
  (func $rolloffBin (param $cum i32) (param $bins i32) (param $thr f64) (result i32)
    (local $lo i32) (local $hi i32) (local $mid i32)
    (local.set $hi (i32.sub (local.get $bins) (i32.const 1)))
    (block $found
      (loop $halve
        (br_if $found (i32.ge_u (local.get $lo) (local.get $hi)))
        (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
        (if (f64.lt (f64.load (i32.add (local.get $cum) (i32.shl (local.get $mid) (i32.const 4)))) (local.get $thr))
          (then (local.set $lo (i32.add (local.get $mid) (i32.const 1))))
          (else (local.set $hi (local.get $mid))))
        (br $halve)))
    (local.get $lo))

;; ==== hot (lane hot, session 14): mel.ts's floor and log-mel tracks (on the feature kernels' memory) ====

  ;; mel.ts's floor, in place: each of the $n f32 at $x below $floor (compared as f64) becomes $floor rounded
  ;; to f32, as JavaScript's `if (x[i] < floor) x[i] = floor` stores it in a Float32Array.
  (func (export "floorBelow") (param $x i32) (param $n i32) (param $floor f64)
    (local $end i32) (local $f f32)
    (local.set $f (f32.demote_f64 (local.get $floor)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (loop $each
        (if (f64.lt (f64.promote_f32 (f32.load (local.get $x))) (local.get $floor))
          (then (f32.store (local.get $x) (local.get $f))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br_if $each (i32.lt_u (local.get $x) (local.get $end))))))

  ;; mel.ts's melTracks on $n frames of $nm f32 bands at $rows (frame-major; when $prev is 1 the frame before
  ;; them is the row just before $rows). Per frame: the flux, Σ over bands in order of (d + |d|)·0.5 with d the
  ;; change from the frame before (0 without one), over $nm, as f32 at $flux; and band-major within the chunk
  ;; (band m of frame i at m·$n + i) each value at $bm and, as f32, minus the frame's mean (Σ in band order
  ;; over $nm) at $rel. The same f64 operations in the same order as the JavaScript loops they replace.
  (func (export "melTracks") (param $rows i32) (param $n i32) (param $nm i32) (param $prev i32)
    (param $flux i32) (param $rel i32) (param $bm i32)
    (local $i i32) (local $m i32) (local $r i32) (local $o i32) (local $row i32) (local $col i32)
    (local $s f64) (local $d f64) (local $v f32) (local $bands f64)
    (local.set $row (i32.shl (local.get $nm) (i32.const 2)))
    (local.set $col (i32.shl (local.get $n) (i32.const 2)))
    (local.set $bands (f64.convert_i32_u (local.get $nm)))
    (block $frames
      (br_if $frames (i32.eqz (local.get $n)))
      (loop $frame
        (local.set $r (i32.add (local.get $rows) (i32.mul (local.get $i) (local.get $row))))
        ;; the flux
        (local.set $s (f64.const 0))
        (if (i32.or (local.get $i) (local.get $prev))
          (then
            (local.set $m (i32.const 0))
            (loop $rise
              (local.set $o (i32.add (local.get $r) (i32.shl (local.get $m) (i32.const 2))))
              (local.set $d (f64.sub (f64.promote_f32 (f32.load (local.get $o)))
                (f64.promote_f32 (f32.load (i32.sub (local.get $o) (local.get $row))))))
              (local.set $s (f64.add (local.get $s) (f64.mul (f64.add (local.get $d) (f64.abs (local.get $d))) (f64.const 0.5))))
              (local.set $m (i32.add (local.get $m) (i32.const 1)))
              (br_if $rise (i32.lt_u (local.get $m) (local.get $nm))))))
        (f32.store (i32.add (local.get $flux) (i32.shl (local.get $i) (i32.const 2)))
          (f32.demote_f64 (f64.div (local.get $s) (local.get $bands))))
        ;; the frame's mean over bands
        (local.set $s (f64.const 0))
        (local.set $m (i32.const 0))
        (loop $sum
          (local.set $s (f64.add (local.get $s)
            (f64.promote_f32 (f32.load (i32.add (local.get $r) (i32.shl (local.get $m) (i32.const 2)))))))
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (br_if $sum (i32.lt_u (local.get $m) (local.get $nm))))
        (local.set $s (f64.div (local.get $s) (local.get $bands)))
        ;; band-major: the value, and the value minus the mean
        (local.set $m (i32.const 0))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (loop $band
          (local.set $v (f32.load (i32.add (local.get $r) (i32.shl (local.get $m) (i32.const 2)))))
          (f32.store (i32.add (local.get $bm) (local.get $o)) (local.get $v))
          (f32.store (i32.add (local.get $rel) (local.get $o))
            (f32.demote_f64 (f64.sub (f64.promote_f32 (local.get $v)) (local.get $s))))
          (local.set $o (i32.add (local.get $o) (local.get $col)))
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (br_if $band (i32.lt_u (local.get $m) (local.get $nm))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $frame (i32.lt_u (local.get $i) (local.get $n))))))

  ;; pitch.ts's prefix sums of squares: out[i] = acc += x[i]·x[i] for the $n f32 at $x (each promoted to f64,
  ;; squared and added in order, as JavaScript's `acc += d[i] * d[i]`), f64 at $out, from $acc; returns the last.
  (func (export "prefixSquares") (param $x i32) (param $n i32) (param $acc f64) (param $out i32) (result f64)
    (local $end i32) (local $v f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (loop $each
        (local.set $v (f64.promote_f32 (f32.load (local.get $x))))
        (local.set $acc (f64.add (local.get $acc) (f64.mul (local.get $v) (local.get $v))))
        (f64.store (local.get $out) (local.get $acc))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br_if $each (i32.lt_u (local.get $x) (local.get $end)))))
    (local.get $acc))

  ;; chroma.ts's scaling: for each of $n frames, its $nc class sums (f64, frame-major at $acc) over their largest
  ;; (found as `if (a > max) max = a` from 0), rounded to f32 class-major at $out (class c of frame i at c·$n + i);
  ;; +0 for a frame whose largest sum is not above 0.
  (func (export "chromaScale") (param $acc i32) (param $n i32) (param $nc i32) (param $out i32)
    (local $i i32) (local $c i32) (local $r i32) (local $a f64) (local $max f64)
    (block $frames
      (br_if $frames (i32.eqz (local.get $n)))
      (loop $frame
        (local.set $r (i32.add (local.get $acc) (i32.shl (i32.mul (local.get $i) (local.get $nc)) (i32.const 3))))
        (local.set $max (f64.const 0))
        (local.set $c (i32.const 0))
        (loop $peak
          (local.set $a (f64.load (i32.add (local.get $r) (i32.shl (local.get $c) (i32.const 3)))))
          (if (f64.gt (local.get $a) (local.get $max)) (then (local.set $max (local.get $a))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $peak (i32.lt_u (local.get $c) (local.get $nc))))
        (local.set $c (i32.const 0))
        (loop $scale
          (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $i)) (i32.const 2)))
            (if (result f32) (f64.gt (local.get $max) (f64.const 0))
              (then (f32.demote_f64 (f64.div (f64.load (i32.add (local.get $r) (i32.shl (local.get $c) (i32.const 3)))) (local.get $max))))
              (else (f32.const 0))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $scale (i32.lt_u (local.get $c) (local.get $nc))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $frame (i32.lt_u (local.get $i) (local.get $n))))))

  ;; tonnetz.ts: for each of $n frames of $nc f32 classes (class c of frame i at $ch + 4·(c·$stride + i)), the six
  ;; sums Σ_c phi[d·$nc + c]·v (f64 at $phi), each in class order, over Σ_c |v|, rounded to f32 at
  ;; $out + 4·(d·$ostride + i); +0 for all six when Σ|v| is 0, as the JavaScript skipped such a frame.
  (func (export "tonnetz") (param $ch i32) (param $stride i32) (param $n i32) (param $nc i32) (param $phi i32)
    (param $out i32) (param $ostride i32)
    (local $i i32) (local $c i32) (local $at i32) (local $p i32) (local $o i32) (local $l1 f64) (local $v f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $s4 f64) (local $s5 f64)
    (block $frames
      (br_if $frames (i32.eqz (local.get $n)))
      (loop $frame
        (local.set $l1 (f64.const 0))
        (local.set $c (i32.const 0))
        (loop $norm
          (local.set $l1 (f64.add (local.get $l1) (f64.abs (f64.promote_f32 (f32.load (i32.add (local.get $ch)
            (i32.shl (i32.add (i32.mul (local.get $c) (local.get $stride)) (local.get $i)) (i32.const 2))))))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $norm (i32.lt_u (local.get $c) (local.get $nc))))
        (local.set $s0 (f64.const 0))
        (local.set $s1 (f64.const 0))
        (local.set $s2 (f64.const 0))
        (local.set $s3 (f64.const 0))
        (local.set $s4 (f64.const 0))
        (local.set $s5 (f64.const 0))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))))
        (if (f64.eq (local.get $l1) (f64.const 0))
          (then
            (f32.store (local.get $o) (f32.const 0))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $ostride) (i32.const 2))) (f32.const 0))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $ostride) (i32.const 3))) (f32.const 0))
            (f32.store (i32.add (local.get $o) (i32.mul (local.get $ostride) (i32.const 12))) (f32.const 0))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $ostride) (i32.const 4))) (f32.const 0))
            (f32.store (i32.add (local.get $o) (i32.mul (local.get $ostride) (i32.const 20))) (f32.const 0)))
          (else
            (local.set $c (i32.const 0))
            (loop $class
              (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $ch)
                (i32.shl (i32.add (i32.mul (local.get $c) (local.get $stride)) (local.get $i)) (i32.const 2))))))
              (local.set $p (i32.add (local.get $phi) (i32.shl (local.get $c) (i32.const 3))))
              (local.set $at (i32.shl (local.get $nc) (i32.const 3)))
              (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $p)) (local.get $v))))
              (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (i32.add (local.get $p) (local.get $at))) (local.get $v))))
              (local.set $s2 (f64.add (local.get $s2) (f64.mul (f64.load (i32.add (local.get $p) (i32.shl (local.get $at) (i32.const 1)))) (local.get $v))))
              (local.set $s3 (f64.add (local.get $s3) (f64.mul (f64.load (i32.add (local.get $p) (i32.mul (local.get $at) (i32.const 3)))) (local.get $v))))
              (local.set $s4 (f64.add (local.get $s4) (f64.mul (f64.load (i32.add (local.get $p) (i32.shl (local.get $at) (i32.const 2)))) (local.get $v))))
              (local.set $s5 (f64.add (local.get $s5) (f64.mul (f64.load (i32.add (local.get $p) (i32.mul (local.get $at) (i32.const 5)))) (local.get $v))))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br_if $class (i32.lt_u (local.get $c) (local.get $nc))))
            (f32.store (local.get $o) (f32.demote_f64 (f64.div (local.get $s0) (local.get $l1))))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $ostride) (i32.const 2))) (f32.demote_f64 (f64.div (local.get $s1) (local.get $l1))))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $ostride) (i32.const 3))) (f32.demote_f64 (f64.div (local.get $s2) (local.get $l1))))
            (f32.store (i32.add (local.get $o) (i32.mul (local.get $ostride) (i32.const 12))) (f32.demote_f64 (f64.div (local.get $s3) (local.get $l1))))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $ostride) (i32.const 4))) (f32.demote_f64 (f64.div (local.get $s4) (local.get $l1))))
            (f32.store (i32.add (local.get $o) (i32.mul (local.get $ostride) (i32.const 20))) (f32.demote_f64 (f64.div (local.get $s5) (local.get $l1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $frame (i32.lt_u (local.get $i) (local.get $n))))))

  ;; voice-quality.ts's band slope: for each of $n frames of $nm f32 bands at $rows (frame-major), the least-squares
  ;; slope over bands $a…$z−1: ym = Σ v / ($z − $a), num = Σ (b − $xm)·(v − ym), each sum in band order, and
  ;; num / $den ($den = Σ (b − $xm)², the same for every frame) rounded to f32 at $out + 4i.
  (func (export "bandSlope") (param $rows i32) (param $n i32) (param $nm i32) (param $a i32) (param $z i32)
    (param $xm f64) (param $den f64) (param $out i32)
    (local $i i32) (local $b i32) (local $r i32) (local $ym f64) (local $num f64)
    (block $frames
      (br_if $frames (i32.eqz (local.get $n)))
      (loop $frame
        (local.set $r (i32.add (local.get $rows) (i32.shl (i32.mul (local.get $i) (local.get $nm)) (i32.const 2))))
        (local.set $ym (f64.const 0))
        (local.set $b (local.get $a))
        (loop $mean
          (local.set $ym (f64.add (local.get $ym) (f64.promote_f32 (f32.load (i32.add (local.get $r) (i32.shl (local.get $b) (i32.const 2)))))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $mean (i32.lt_s (local.get $b) (local.get $z))))
        (local.set $ym (f64.div (local.get $ym) (f64.convert_i32_s (i32.sub (local.get $z) (local.get $a)))))
        (local.set $num (f64.const 0))
        (local.set $b (local.get $a))
        (loop $slope
          (local.set $num (f64.add (local.get $num) (f64.mul (f64.sub (f64.convert_i32_s (local.get $b)) (local.get $xm))
            (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $r) (i32.shl (local.get $b) (i32.const 2))))) (local.get $ym)))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $slope (i32.lt_s (local.get $b) (local.get $z))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (f32.demote_f64 (f64.div (local.get $num) (local.get $den))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $frame (i32.lt_u (local.get $i) (local.get $n))))))

  ;; contrast.ts's dB: for each of $n frames and $nb bands, from the band's peak and valley (two f64 at
  ;; $found + 16·(i·$nb + b), from "contrastMeans"): $scale·ln(max(peak, $amin) / max(valley, $amin)) with
  ;; ln Math.log's own ($log), rounded to f32 at $out + 4·(b·$n + i) (band-major within the chunk).
  (func (export "contrastDb") (param $found i32) (param $n i32) (param $nb i32) (param $amin f64)
    (param $scale f64) (param $out i32)
    (local $i i32) (local $b i32) (local $r i32) (local $peak f64) (local $valley f64)
    (block $frames
      (br_if $frames (i32.eqz (local.get $n)))
      (loop $frame
        (local.set $b (i32.const 0))
        (loop $band
          (local.set $r (i32.add (local.get $found) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $nb)) (local.get $b)) (i32.const 4))))
          (local.set $peak (f64.load (local.get $r)))
          (local.set $valley (f64.load offset=8 (local.get $r)))
          (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $n)) (local.get $i)) (i32.const 2)))
            (f32.demote_f64 (f64.mul (local.get $scale) (call $log (f64.div (f64.max (local.get $peak) (local.get $amin))
              (f64.max (local.get $valley) (local.get $amin)))))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $band (i32.lt_u (local.get $b) (local.get $nb))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $frame (i32.lt_u (local.get $i) (local.get $n))))))

;; ==== hot (lane hot, session 15): Math.log2 and Math.log10 exactly, pitch's peaks and path, the VAD's frame dB ====

  ;; x with its low 32 bits cleared (fdlibm's SET_LOW_WORD(x, 0)).
  (func $highWord (param $x f64) (result f64)
    (f64.reinterpret_i64 (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0xffffffff00000000))))

  ;; log2 x bit for bit as V8's Math.log2 computes it: V8's ieee754::log2 (src/base/ieee754.cc), FreeBSD's
  ;; e_log2.c with k_log1p, the same operations in the same order. x is reduced as $log reduces it (k, and
  ;; 1 + f in [sqrt(2)/2, sqrt(2))), ln(1 + f) - f + f^2/2 is k_log1p's s(f^2/2 + R(s^2)), and f - f^2/2 is split
  ;; into a high part (low word cleared) and the rest, so that its products with 1/ln 2 (in two pieces) and the
  ;; sum with k keep their rounding errors.
  (func $log2 (param $x f64) (result f64)
    (local $bits i64) (local $hx i32) (local $k i32) (local $i i32)
    (local $f f64) (local $hfsq f64) (local $s f64) (local $z f64) (local $w f64) (local $r f64) (local $y f64)
    (local $hi f64) (local $lo f64) (local $vh f64) (local $vl f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
    (if (i32.lt_s (local.get $hx) (i32.const 0x00100000))
      (then
        ;; log2(+-0) = -inf, log2(x < 0) = NaN, a subnormal is scaled by 2^54 first
        (if (i64.eqz (i64.and (local.get $bits) (i64.const 0x7fffffffffffffff)))
          (then (return (f64.const -inf))))
        (if (i32.lt_s (local.get $hx) (i32.const 0))
          (then (return (f64.div (f64.sub (local.get $x) (local.get $x)) (f64.const 0)))))
        (local.set $k (i32.const -54))
        (local.set $x (f64.mul (local.get $x) (f64.const 0x1p54)))
        (local.set $bits (i64.reinterpret_f64 (local.get $x)))
        (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
    (if (i64.eq (local.get $bits) (i64.const 0x3ff0000000000000)) (then (return (f64.const 0))))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
    (local.set $i (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
    ;; normalise x or x/2
    (local.set $x (f64.reinterpret_i64 (i64.or
      (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $i) (i32.const 0x3ff00000)))) (i64.const 32))
      (i64.and (local.get $bits) (i64.const 0xffffffff)))))
    (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $i) (i32.const 20))))
    (local.set $y (f64.convert_i32_s (local.get $k)))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
    ;; k_log1p(f)
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $r (f64.add
      (f64.mul (local.get $z) (f64.add (f64.const 0x1.5555555555593p-1) (f64.mul (local.get $w)
        (f64.add (f64.const 0x1.2492494229359p-2) (f64.mul (local.get $w)
          (f64.add (f64.const 0x1.7466496cb03dep-3) (f64.mul (local.get $w) (f64.const 0x1.2f112df3e5244p-3))))))))
      (f64.mul (local.get $w) (f64.add (f64.const 0x1.999999997fa04p-2) (f64.mul (local.get $w)
        (f64.add (f64.const 0x1.c71c51d8e78afp-3) (f64.mul (local.get $w) (f64.const 0x1.39a09d078c69fp-3))))))))
    (local.set $r (f64.mul (local.get $s) (f64.add (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)) (local.get $r))))
    (local.set $hi (call $highWord (f64.sub (local.get $f) (local.get $hfsq))))
    (local.set $lo (f64.add (f64.sub (f64.sub (local.get $f) (local.get $hi)) (local.get $hfsq)) (local.get $r)))
    (local.set $vh (f64.mul (local.get $hi) (f64.const 0x1.71547652p0)))
    (local.set $vl (f64.add (f64.mul (f64.add (local.get $lo) (local.get $hi)) (f64.const 0x1.705fc2eefa2p-33))
      (f64.mul (local.get $lo) (f64.const 0x1.71547652p0))))
    ;; y + vh with its rounding error kept in vl
    (local.set $w (f64.add (local.get $y) (local.get $vh)))
    (local.set $vl (f64.add (local.get $vl) (f64.add (f64.sub (local.get $y) (local.get $w)) (local.get $vh))))
    (f64.add (local.get $vl) (local.get $w)))

  ;; log10 x bit for bit as V8's Math.log10: fdlibm's original __ieee754_log10 (V8 kept it, not FreeBSD's later
  ;; rewrite): x = 2^n y with y in [1, 2) (or [1/2, 1) when n < 0), n log10(2) in two pieces plus ln y / ln 10
  ;; with ln Math.log's own ($log).
  (func $log10 (param $x f64) (result f64)
    (local $bits i64) (local $hx i32) (local $k i32) (local $i i32) (local $y f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
    (if (i32.lt_s (local.get $hx) (i32.const 0x00100000))
      (then
        ;; log10(+-0) = -inf, log10(x < 0) = NaN, a subnormal is scaled by 2^54 first
        (if (i64.eqz (i64.and (local.get $bits) (i64.const 0x7fffffffffffffff)))
          (then (return (f64.const -inf))))
        (if (i32.lt_s (local.get $hx) (i32.const 0))
          (then (return (f64.div (f64.sub (local.get $x) (local.get $x)) (f64.const 0)))))
        (local.set $k (i32.const -54))
        (local.set $x (f64.mul (local.get $x) (f64.const 0x1p54)))
        (local.set $bits (i64.reinterpret_f64 (local.get $x)))
        (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
    (if (i64.eq (local.get $bits) (i64.const 0x3ff0000000000000)) (then (return (f64.const 0))))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
    (local.set $i (i32.shr_u (local.get $k) (i32.const 31)))
    (local.set $y (f64.convert_i32_s (i32.add (local.get $k) (local.get $i))))
    (local.set $x (f64.reinterpret_i64 (i64.or
      (i64.shl (i64.extend_i32_u (i32.or (i32.and (local.get $hx) (i32.const 0x000fffff))
        (i32.shl (i32.sub (i32.const 0x3ff) (local.get $i)) (i32.const 20)))) (i64.const 32))
      (i64.and (local.get $bits) (i64.const 0xffffffff)))))
    (f64.add
      (f64.add (f64.mul (local.get $y) (f64.const 0x1.9fef311f12b36p-42))
        (f64.mul (f64.const 0x1.bcb7b1526e50ep-2) (call $log (local.get $x))))
      (f64.mul (local.get $y) (f64.const 0x1.34413509f6p-2))))

  ;; pitch.ts's peak picking for one step, as its JavaScript did it: the NCCF peaks (f64 row at $row, indexed by
  ;; lag; y0 > 0, y0 >= the lag before, y0 > the lag after) at lags $lagMin..$lagMax, each placed by parabolic
  ;; interpolation (lag + delta), worth value + $octave log2($lagMax / (lag + delta)); the step's candidates (6
  ;; f64 each at $f0 and $st) are the unvoiced one (0 Hz, $unvoiced) and the strongest five peaks in order of
  ;; strength (a later equal one after an earlier), f0 = $rate / (lag + delta); their count (a byte) at $count.
  ;; Returns the highest peak value (min(1, ...), 0 without a peak).
  (func $peaks (param $row i32) (param $lagMin i32) (param $lagMax i32) (param $rate f64) (param $unvoiced f64)
    (param $octave f64) (param $f0 i32) (param $st i32) (param $count i32) (result f64)
    (local $lag i32) (local $c i32) (local $j i32) (local $p i32) (local $best f64) (local $y0 f64) (local $ym f64)
    (local $yp f64) (local $curve f64) (local $delta f64) (local $value f64) (local $s f64) (local $at f64) (local $top f64)
    (f64.store (local.get $f0) (f64.const 0))
    (f64.store (local.get $st) (local.get $unvoiced))
    (local.set $c (i32.const 1))
    (local.set $top (f64.convert_i32_s (local.get $lagMax)))
    (local.set $lag (local.get $lagMin))
    (block $done
      (loop $lags
        (br_if $done (i32.gt_s (local.get $lag) (local.get $lagMax)))
        (local.set $p (i32.add (local.get $row) (i32.shl (local.get $lag) (i32.const 3))))
        (local.set $y0 (f64.load (local.get $p)))
        (local.set $ym (f64.load (i32.sub (local.get $p) (i32.const 8))))
        (local.set $yp (f64.load offset=8 (local.get $p)))
        (block $next
          (br_if $next (i32.eqz (i32.and (i32.and (f64.gt (local.get $y0) (f64.const 0)) (f64.ge (local.get $y0) (local.get $ym)))
            (f64.gt (local.get $y0) (local.get $yp)))))
          (local.set $curve (f64.add (f64.sub (local.get $ym) (f64.mul (f64.const 2) (local.get $y0))) (local.get $yp)))
          (local.set $delta (if (result f64) (f64.lt (local.get $curve) (f64.const 0))
            (then (f64.div (f64.mul (f64.const 0.5) (f64.sub (local.get $ym) (local.get $yp))) (local.get $curve)))
            (else (f64.const 0))))
          (local.set $value (f64.min (f64.const 1) (f64.sub (local.get $y0)
            (f64.mul (f64.mul (f64.const 0.25) (f64.sub (local.get $ym) (local.get $yp))) (local.get $delta)))))
          (local.set $best (f64.max (local.get $best) (local.get $value)))
          (local.set $at (f64.add (f64.convert_i32_s (local.get $lag)) (local.get $delta)))
          (local.set $s (f64.add (local.get $value) (f64.mul (local.get $octave) (call $log2 (f64.div (local.get $top) (local.get $at))))))
          ;; full, and no stronger than the weakest kept: dropped
          (br_if $next (i32.and (i32.eq (local.get $c) (i32.const 6))
            (f64.le (local.get $s) (f64.load offset=40 (local.get $st)))))
          (if (i32.lt_s (local.get $c) (i32.const 6))
            (then
              (local.set $j (local.get $c))
              (local.set $c (i32.add (local.get $c) (i32.const 1))))
            (else (local.set $j (i32.const 5))))
          (block $placed
            (loop $shift
              (br_if $placed (i32.le_s (local.get $j) (i32.const 1)))
              (local.set $p (i32.shl (local.get $j) (i32.const 3)))
              (br_if $placed (i32.eqz (f64.lt (f64.load (i32.sub (i32.add (local.get $st) (local.get $p)) (i32.const 8))) (local.get $s))))
              (f64.store (i32.add (local.get $st) (local.get $p)) (f64.load (i32.sub (i32.add (local.get $st) (local.get $p)) (i32.const 8))))
              (f64.store (i32.add (local.get $f0) (local.get $p)) (f64.load (i32.sub (i32.add (local.get $f0) (local.get $p)) (i32.const 8))))
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br $shift)))
          (local.set $p (i32.shl (local.get $j) (i32.const 3)))
          (f64.store (i32.add (local.get $st) (local.get $p)) (local.get $s))
          (f64.store (i32.add (local.get $f0) (local.get $p)) (f64.div (local.get $rate) (local.get $at))))
        (local.set $lag (i32.add (local.get $lag) (i32.const 1)))
        (br $lags)))
    (i32.store8 (local.get $count) (local.get $c))
    (local.get $best))

  ;; $peaks for the row at $rows (step $step) and, when $second, the row at $rows + $stride (step $step + 1):
  ;; candidates at $f0 and $st (48 bytes a step), counts at $count (a byte a step), highest values at $peak (f64).
  (func $pitchPeaks (export "pitchPeaks") (param $rows i32) (param $stride i32) (param $second i32) (param $step i32)
    (param $lagMin i32) (param $lagMax i32) (param $rate f64) (param $unvoiced f64) (param $octave f64)
    (param $f0 i32) (param $st i32) (param $count i32) (param $peak i32)
    (local $o i32)
    (local.set $o (i32.mul (local.get $step) (i32.const 48)))
    (f64.store (i32.add (local.get $peak) (i32.shl (local.get $step) (i32.const 3)))
      (call $peaks (local.get $rows) (local.get $lagMin) (local.get $lagMax) (local.get $rate) (local.get $unvoiced) (local.get $octave)
        (i32.add (local.get $f0) (local.get $o)) (i32.add (local.get $st) (local.get $o)) (i32.add (local.get $count) (local.get $step))))
    (if (local.get $second)
      (then
        (f64.store offset=8 (i32.add (local.get $peak) (i32.shl (local.get $step) (i32.const 3)))
          (call $peaks (i32.add (local.get $rows) (local.get $stride)) (local.get $lagMin) (local.get $lagMax) (local.get $rate)
            (local.get $unvoiced) (local.get $octave) (i32.add (local.get $f0) (i32.add (local.get $o) (i32.const 48)))
            (i32.add (local.get $st) (i32.add (local.get $o) (i32.const 48)))
            (i32.add (local.get $count) (i32.add (local.get $step) (i32.const 1))))))))

  ;; pitchPair, then pitchPeaks on its rows, in one call: pitch.ts's step pair. The arguments that do not change
  ;; from pair to pair are read from $par (i32 at bytes 0…68: n, radix2, tw, in, base, inB, inC, spA, window, span,
  ;; lo, hi, rows, f0, st, count, peak; f64 at 72…96: tiny, rate, unvoiced, octave); peaks at lags lo + 1…hi − 1.
  (func (export "pitchStep") (param $par i32) (param $dA i32) (param $eA i32) (param $dB i32) (param $eB i32)
    (param $hasB i32) (param $step i32)
    (call $pitchPair (i32.load offset=0 (local.get $par)) (i32.load offset=4 (local.get $par)) (i32.load offset=8 (local.get $par))
      (i32.load offset=12 (local.get $par)) (i32.load offset=16 (local.get $par)) (i32.load offset=20 (local.get $par))
      (i32.load offset=24 (local.get $par)) (i32.load offset=28 (local.get $par)) (local.get $dA) (local.get $eA) (local.get $dB)
      (local.get $eB) (local.get $hasB) (i32.load offset=32 (local.get $par)) (i32.load offset=36 (local.get $par))
      (i32.load offset=40 (local.get $par)) (i32.load offset=44 (local.get $par)) (f64.load offset=72 (local.get $par))
      (i32.load offset=48 (local.get $par)))
    (call $pitchPeaks (i32.load offset=48 (local.get $par)) (i32.shl (i32.add (i32.load offset=44 (local.get $par)) (i32.const 2)) (i32.const 3))
      (local.get $hasB) (local.get $step) (i32.add (i32.load offset=40 (local.get $par)) (i32.const 1))
      (i32.sub (i32.load offset=44 (local.get $par)) (i32.const 1)) (f64.load offset=80 (local.get $par)) (f64.load offset=88 (local.get $par))
      (f64.load offset=96 (local.get $par)) (i32.load offset=52 (local.get $par)) (i32.load offset=56 (local.get $par))
      (i32.load offset=60 (local.get $par)) (i32.load offset=64 (local.get $par))))

  ;; pitch-path.ts's cost of going from F0 $a to $b (0 = unvoiced): $jump |log2(a/b)| between two voiced
  ;; candidates, $voicing between voiced and unvoiced, else 0.
  (func $transition (param $a f64) (param $b f64) (param $jump f64) (param $voicing f64) (result f64)
    (if (i32.and (f64.gt (local.get $a) (f64.const 0)) (f64.gt (local.get $b) (f64.const 0)))
      (then (return (f64.mul (local.get $jump) (f64.abs (call $log2 (f64.div (local.get $a) (local.get $b))))))))
    (select (local.get $voicing) (f64.const 0)
      (i32.ne (f64.gt (local.get $a) (f64.const 0)) (f64.gt (local.get $b) (f64.const 0)))))

  ;; pitch-path.ts's path (Praat's path finder) as its JavaScript did it: over $n steps with candidates at $f0, $st
  ;; (6 f64 a step), their counts and the joined flags at $count and $joined (a byte a step), the best score
  ;; of each candidate at $score (f64) and where it came from at $from (a byte each): a joined step takes the
  ;; best of the previous step's scores less the transition (the first highest), another the highest previous
  ;; score at no cost; then back from the last step's best, the F0 per step (f64) at $out.
  (func (export "pitchPath") (param $count i32) (param $joined i32) (param $f0 i32) (param $st i32) (param $score i32)
    (param $from i32) (param $n i32) (param $jump f64) (param $voicing f64) (param $out i32)
    (local $i i32) (local $j i32) (local $k i32) (local $o i32) (local $p i32) (local $ci i32) (local $cp i32)
    (local $prev i32) (local $arg i32) (local $linked i32) (local $best f64) (local $s f64) (local $b f64)
    (block $forward
      (loop $steps
        (br_if $forward (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.mul (local.get $i) (i32.const 48)))
        (local.set $p (i32.sub (local.get $o) (i32.const 48)))
        (local.set $ci (i32.load8_u (i32.add (local.get $count) (local.get $i))))
        (local.set $linked (i32.and (i32.ne (local.get $i) (i32.const 0))
          (i32.ne (i32.load8_u (i32.add (local.get $joined) (local.get $i))) (i32.const 0))))
        (local.set $prev (i32.const 0))
        (if (i32.and (i32.ne (local.get $i) (i32.const 0)) (i32.eqz (local.get $linked)))
          (then
            (local.set $cp (i32.load8_u (i32.sub (i32.add (local.get $count) (local.get $i)) (i32.const 1))))
            (local.set $k (i32.const 1))
            (block $found
              (loop $each
                (br_if $found (i32.ge_s (local.get $k) (local.get $cp)))
                (if (f64.gt (f64.load (i32.add (local.get $score) (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 3)))))
                      (f64.load (i32.add (local.get $score) (i32.add (local.get $p) (i32.shl (local.get $prev) (i32.const 3))))))
                  (then (local.set $prev (local.get $k))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $each)))))
        (local.set $j (i32.const 0))
        (block $candidates
          (loop $each
            (br_if $candidates (i32.ge_s (local.get $j) (local.get $ci)))
            (local.set $best (f64.const 0))
            (local.set $arg (local.get $prev))
            (if (local.get $linked)
              (then
                (local.set $best (f64.const -inf))
                (local.set $cp (i32.load8_u (i32.sub (i32.add (local.get $count) (local.get $i)) (i32.const 1))))
                (local.set $b (f64.load (i32.add (local.get $f0) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $k (i32.const 0))
                (block $scored
                  (loop $prevs
                    (br_if $scored (i32.ge_s (local.get $k) (local.get $cp)))
                    (local.set $s (f64.sub (f64.load (i32.add (local.get $score) (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 3)))))
                      (call $transition (f64.load (i32.add (local.get $f0) (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 3)))))
                        (local.get $b) (local.get $jump) (local.get $voicing))))
                    (if (f64.gt (local.get $s) (local.get $best))
                      (then
                        (local.set $best (local.get $s))
                        (local.set $arg (local.get $k))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $prevs))))
              (else
                (if (i32.ne (local.get $i) (i32.const 0))
                  (then (local.set $best (f64.load (i32.add (local.get $score)
                    (i32.add (local.get $p) (i32.shl (local.get $prev) (i32.const 3))))))))))
            (f64.store (i32.add (local.get $score) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
              (f64.add (local.get $best) (f64.load (i32.add (local.get $st) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3)))))))
            (i32.store8 (i32.add (local.get $from) (i32.add (i32.mul (local.get $i) (i32.const 6)) (local.get $j))) (local.get $arg))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $each)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $steps)))
    (if (i32.eqz (local.get $n)) (then (return)))
    ;; the last step's first highest score, then back along the recorded choices
    (local.set $o (i32.mul (i32.sub (local.get $n) (i32.const 1)) (i32.const 48)))
    (local.set $ci (i32.load8_u (i32.sub (i32.add (local.get $count) (local.get $n)) (i32.const 1))))
    (local.set $j (i32.const 0))
    (local.set $k (i32.const 1))
    (block $found
      (loop $each
        (br_if $found (i32.ge_s (local.get $k) (local.get $ci)))
        (if (f64.gt (f64.load (i32.add (local.get $score) (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3)))))
              (f64.load (i32.add (local.get $score) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))))
          (then (local.set $j (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each)))
    (local.set $i (local.get $n))
    (loop $back
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
        (f64.load (i32.add (local.get $f0) (i32.add (i32.mul (local.get $i) (i32.const 48)) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $j (i32.load8_u (i32.add (local.get $from) (i32.add (i32.mul (local.get $i) (i32.const 6)) (local.get $j)))))
      (br_if $back (i32.ne (local.get $i) (i32.const 0)))))

  ;; vad.ts's frame levels, as its JavaScript computed them: frame f (of $frames) spans blocks f·$perHop …
  ;; f·$perHop + $perFrame − 1, whose sums and sums of squares (f64 at $sum and $sq, from blockSums) are added
  ;; in block order; power = max(0, Σx²/$n − (Σx/$n)²), and the level max($silent, 10 log10 power) with
  ;; log10 Math.log10's own ($log10), or $silent where the power is not positive (f64 at $out + 8f).
  (func (export "frameDb") (param $sum i32) (param $sq i32) (param $frames i32) (param $perHop i32) (param $perFrame i32)
    (param $n f64) (param $silent f64) (param $out i32)
    (local $f i32) (local $b i32) (local $end i32) (local $s f64) (local $s2 f64) (local $mean f64) (local $power f64)
    (block $done
      (loop $frame
        (br_if $done (i32.ge_u (local.get $f) (local.get $frames)))
        (local.set $s (f64.const 0))
        (local.set $s2 (f64.const 0))
        (local.set $b (i32.shl (i32.mul (local.get $f) (local.get $perHop)) (i32.const 3)))
        (local.set $end (i32.add (local.get $b) (i32.shl (local.get $perFrame) (i32.const 3))))
        (loop $blocks
          (local.set $s (f64.add (local.get $s) (f64.load (i32.add (local.get $sum) (local.get $b)))))
          (local.set $s2 (f64.add (local.get $s2) (f64.load (i32.add (local.get $sq) (local.get $b)))))
          (local.set $b (i32.add (local.get $b) (i32.const 8)))
          (br_if $blocks (i32.lt_u (local.get $b) (local.get $end))))
        (local.set $mean (f64.div (local.get $s) (local.get $n)))
        (local.set $power (f64.max (f64.const 0)
          (f64.sub (f64.div (local.get $s2) (local.get $n)) (f64.mul (local.get $mean) (local.get $mean)))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $f) (i32.const 3)))
          (if (result f64) (f64.gt (local.get $power) (f64.const 0))
            (then (f64.max (local.get $silent) (f64.mul (f64.const 10) (call $log10 (local.get $power)))))
            (else (local.get $silent))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $frame))))

  ;; vad.ts's local peak, first pass, for frames $f0…$f1 − 1 of $n, as its JavaScript computed it: the level (f64 at
  ;; $db, which holds frames $lo…, all those within $hold + $sh of the range) smoothed over ±$sh frames (the sum in
  ;; frame order over the count; into $sm, indexed as $db, for frames within $hold of the range), its maximum over ±$hold
  ;; frames, and that at least the frame before's less $decay ($carry: the frame before the range's, this pass's
  ;; value; none before frame 0): f64 at $out + 8(f − $f0).
  (func (export "vadPeakForward") (param $db i32) (param $sm i32) (param $lo i32) (param $n i32) (param $f0 i32) (param $f1 i32)
    (param $hold i32) (param $sh i32) (param $decay f64) (param $carry f64) (param $out i32)
    (local $f i32) (local $g i32) (local $end i32) (local $s f64) (local $c i32) (local $m f64) (local $v f64)
    (local.set $f (select (i32.sub (local.get $f0) (local.get $hold)) (i32.const 0) (i32.gt_s (local.get $f0) (local.get $hold))))
    (local.set $end (i32.add (local.get $f1) (local.get $hold)))
    (if (i32.gt_s (local.get $end) (local.get $n)) (then (local.set $end (local.get $n))))
    (block $smoothed
      (loop $smooth
        (br_if $smoothed (i32.ge_s (local.get $f) (local.get $end)))
        (local.set $g (select (i32.sub (local.get $f) (local.get $sh)) (i32.const 0) (i32.gt_s (local.get $f) (local.get $sh))))
        (local.set $s (f64.const 0))
        (local.set $c (i32.const 0))
        (loop $sum
          (local.set $s (f64.add (local.get $s) (f64.load (i32.add (local.get $db) (i32.shl (i32.sub (local.get $g) (local.get $lo)) (i32.const 3))))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (local.set $g (i32.add (local.get $g) (i32.const 1)))
          (br_if $sum (i32.and (i32.le_s (local.get $g) (i32.add (local.get $f) (local.get $sh))) (i32.lt_s (local.get $g) (local.get $n)))))
        (f64.store (i32.add (local.get $sm) (i32.shl (i32.sub (local.get $f) (local.get $lo)) (i32.const 3)))
          (f64.div (local.get $s) (f64.convert_i32_s (local.get $c))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $smooth)))
    (local.set $f (local.get $f0))
    (block $done
      (loop $frame
        (br_if $done (i32.ge_s (local.get $f) (local.get $f1)))
        (local.set $g (select (i32.sub (local.get $f) (local.get $hold)) (i32.const 0) (i32.gt_s (local.get $f) (local.get $hold))))
        (local.set $end (i32.add (local.get $f) (local.get $hold)))
        (if (i32.ge_s (local.get $end) (local.get $n)) (then (local.set $end (i32.sub (local.get $n) (i32.const 1)))))
        (local.set $m (f64.load (i32.add (local.get $sm) (i32.shl (i32.sub (local.get $g) (local.get $lo)) (i32.const 3)))))
        (block $maxed
          (loop $max
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br_if $maxed (i32.gt_s (local.get $g) (local.get $end)))
            (local.set $v (f64.load (i32.add (local.get $sm) (i32.shl (i32.sub (local.get $g) (local.get $lo)) (i32.const 3)))))
            (if (f64.gt (local.get $v) (local.get $m)) (then (local.set $m (local.get $v))))
            (br $max)))
        (if (i32.gt_s (local.get $f) (i32.const 0))
          (then (local.set $m (f64.max (local.get $m) (f64.sub (local.get $carry) (local.get $decay))))))
        (f64.store (i32.add (local.get $out) (i32.shl (i32.sub (local.get $f) (local.get $f0)) (i32.const 3))) (local.get $m))
        (local.set $carry (local.get $m))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $frame))))

  ;; The second pass, backwards over frames $f1 − 1 … $f0 of $n (the first pass's values f64 at $pk + 8(f − $f0)):
  ;; each at least the frame after's final value less $decay ($carry: frame $f1's; none after frame n − 1), in
  ;; place; then vad.ts's thresholds from it, as its JavaScript computed them, f64 at $th and $kp + 8(f − $f0):
  ;; start = max($noise + $above, peak − $below, $floor), keep = max(start − $hyst, $noise + $half, $floor).
  ;; Returns frame $f0's final value (the carry for the range before).
  (func (export "vadPeakBackward") (param $pk i32) (param $f0 i32) (param $f1 i32) (param $n i32) (param $decay f64)
    (param $carry f64) (param $noise f64) (param $above f64) (param $below f64) (param $floor f64) (param $hyst f64)
    (param $half f64) (param $th i32) (param $kp i32) (result f64)
    (local $f i32) (local $o i32) (local $v f64) (local $t f64)
    (local.set $f (local.get $f1))
    (block $done
      (loop $frame
        (br_if $done (i32.le_s (local.get $f) (local.get $f0)))
        (local.set $f (i32.sub (local.get $f) (i32.const 1)))
        (local.set $o (i32.shl (i32.sub (local.get $f) (local.get $f0)) (i32.const 3)))
        (local.set $v (f64.load (i32.add (local.get $pk) (local.get $o))))
        (if (i32.lt_s (local.get $f) (i32.sub (local.get $n) (i32.const 1)))
          (then (local.set $v (f64.max (local.get $v) (f64.sub (local.get $carry) (local.get $decay))))))
        (f64.store (i32.add (local.get $pk) (local.get $o)) (local.get $v))
        (local.set $carry (local.get $v))
        (local.set $t (f64.max (f64.max (f64.add (local.get $noise) (local.get $above)) (f64.sub (local.get $v) (local.get $below))) (local.get $floor)))
        (f64.store (i32.add (local.get $th) (local.get $o)) (local.get $t))
        (f64.store (i32.add (local.get $kp) (local.get $o))
          (f64.max (f64.max (f64.sub (local.get $t) (local.get $hyst)) (f64.add (local.get $noise) (local.get $half))) (local.get $floor)))
        (br $frame)))
    (local.get $carry))

  ;; The least env value (f32 at $env) over frames max(0, $a)…min($n − 1, $b), +inf when none (prosody.ts's minOver).
  (func $minOver (param $env i32) (param $n i32) (param $a i32) (param $b i32) (result f64)
    (local $m f64)
    (local.set $m (f64.const inf))
    (if (i32.lt_s (local.get $a) (i32.const 0)) (then (local.set $a (i32.const 0))))
    (if (i32.ge_s (local.get $b) (local.get $n)) (then (local.set $b (i32.sub (local.get $n) (i32.const 1)))))
    (block $done
      (loop $each
        (br_if $done (i32.gt_s (local.get $a) (local.get $b)))
        (local.set $m (f64.min (local.get $m) (f64.promote_f32 (f32.load (i32.add (local.get $env) (i32.shl (local.get $a) (i32.const 2)))))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $each)))
    (local.get $m))

  ;; prosody.ts's prosody() as its JavaScript computed it, over $n frames of F0 ($f0), peak NCCF ($st) and level ($lv),
  ;; f32 each, and the speech mask ($sp, a byte per frame); $env: room for n f32 (the smoothed level). $par (f64):
  ;; the largest relative period change, the frame length in seconds, the least prominence (dB); $ri (i32): the
  ;; smoothing, peak and dip radii (frames). Into $out (f64): voiced fraction, voicing strength, jitter, shimmer,
  ;; syllable rate, pause ratio; the syllable nuclei (syllableNuclei()) are speech frames whose smoothed level is
  ;; the first highest within the peak radius, with F0 within 2 frames, standing the prominence above the higher
  ;; of the lowest smoothed levels within the dip radius before and after.
  (func (export "prosody") (param $f0 i32) (param $st i32) (param $lv i32) (param $sp i32) (param $env i32) (param $n i32)
    (param $par i32) (param $ri i32) (param $out i32)
    (local $t i32) (local $j i32) (local $end i32) (local $speech i32) (local $voiced i32) (local $pairs i32) (local $count i32)
    (local $c i32) (local $peak i32) (local $near i32) (local $smooth i32) (local $pr i32) (local $dr i32)
    (local $sum f64) (local $p0 f64) (local $p1 f64) (local $pd f64) (local $ps f64) (local $ld f64) (local $s f64)
    (local $e f64) (local $v f64) (local $nf f64)
    (local.set $smooth (i32.load offset=0 (local.get $ri)))
    (local.set $pr (i32.load offset=4 (local.get $ri)))
    (local.set $dr (i32.load offset=8 (local.get $ri)))
    ;; speech frames, voiced ones, the voicing strength's sum
    (block $counted
      (loop $each
        (br_if $counted (i32.ge_s (local.get $t) (local.get $n)))
        (if (i32.load8_u (i32.add (local.get $sp) (local.get $t)))
          (then
            (local.set $speech (i32.add (local.get $speech) (i32.const 1)))
            (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32.load (i32.add (local.get $st) (i32.shl (local.get $t) (i32.const 2)))))))
            (if (f32.gt (f32.load (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2)))) (f32.const 0))
              (then (local.set $voiced (i32.add (local.get $voiced) (i32.const 1)))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each)))
    ;; jitter and shimmer over consecutive voiced frames without a tracking jump
    (local.set $t (i32.const 1))
    (block $paired
      (loop $each
        (br_if $paired (i32.ge_s (local.get $t) (local.get $n)))
        (block $next
          (br_if $next (i32.eqz (i32.and
            (f32.gt (f32.load (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2)))) (f32.const 0))
            (f32.gt (f32.load (i32.sub (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2))) (i32.const 4))) (f32.const 0)))))
          (local.set $p0 (f64.div (f64.const 1) (f64.promote_f32 (f32.load (i32.sub (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2))) (i32.const 4))))))
          (local.set $p1 (f64.div (f64.const 1) (f64.promote_f32 (f32.load (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2)))))))
          (br_if $next (f64.gt (f64.abs (f64.sub (local.get $p1) (local.get $p0))) (f64.mul (f64.load offset=0 (local.get $par)) (local.get $p0))))
          (local.set $pd (f64.add (local.get $pd) (f64.abs (f64.sub (local.get $p1) (local.get $p0)))))
          (local.set $ps (f64.add (local.get $ps) (local.get $p1)))
          (local.set $ld (f64.add (local.get $ld) (f64.abs (f64.sub
            (f64.promote_f32 (f32.load (i32.add (local.get $lv) (i32.shl (local.get $t) (i32.const 2)))))
            (f64.promote_f32 (f32.load (i32.sub (i32.add (local.get $lv) (i32.shl (local.get $t) (i32.const 2))) (i32.const 4))))))))
          (local.set $pairs (i32.add (local.get $pairs) (i32.const 1))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each)))
    ;; the smoothed level
    (local.set $t (i32.const 0))
    (block $smoothed
      (loop $each
        (br_if $smoothed (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $j (select (i32.sub (local.get $t) (local.get $smooth)) (i32.const 0) (i32.gt_s (local.get $t) (local.get $smooth))))
        (local.set $end (i32.add (local.get $t) (local.get $smooth)))
        (if (i32.ge_s (local.get $end) (local.get $n)) (then (local.set $end (i32.sub (local.get $n) (i32.const 1)))))
        (local.set $s (f64.const 0))
        (local.set $c (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.gt_s (local.get $j) (local.get $end)))
            (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (i32.add (local.get $lv) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $sum)))
        (f32.store (i32.add (local.get $env) (i32.shl (local.get $t) (i32.const 2)))
          (f32.demote_f64 (f64.div (local.get $s) (f64.convert_i32_s (local.get $c)))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each)))
    ;; the nuclei
    (local.set $t (i32.const 0))
    (block $found
      (loop $each
        (br_if $found (i32.ge_s (local.get $t) (local.get $n)))
        (block $next
          (br_if $next (i32.eqz (i32.load8_u (i32.add (local.get $sp) (local.get $t)))))
          (local.set $e (f64.promote_f32 (f32.load (i32.add (local.get $env) (i32.shl (local.get $t) (i32.const 2))))))
          (local.set $j (select (i32.sub (local.get $t) (local.get $pr)) (i32.const 0) (i32.gt_s (local.get $t) (local.get $pr))))
          (local.set $end (i32.add (local.get $t) (local.get $pr)))
          (if (i32.ge_s (local.get $end) (local.get $n)) (then (local.set $end (i32.sub (local.get $n) (i32.const 1)))))
          ;; ties go to the earliest frame
          (block $peaked
            (loop $around
              (br_if $peaked (i32.gt_s (local.get $j) (local.get $end)))
              (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $env) (i32.shl (local.get $j) (i32.const 2))))))
              (br_if $next (i32.or (f64.gt (local.get $v) (local.get $e))
                (i32.and (f64.eq (local.get $v) (local.get $e)) (i32.lt_s (local.get $j) (local.get $t)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $around)))
          (local.set $j (select (i32.sub (local.get $t) (i32.const 2)) (i32.const 0) (i32.gt_s (local.get $t) (i32.const 2))))
          (local.set $end (i32.add (local.get $t) (i32.const 2)))
          (if (i32.ge_s (local.get $end) (local.get $n)) (then (local.set $end (i32.sub (local.get $n) (i32.const 1)))))
          (local.set $near (i32.const 0))
          (block $looked
            (loop $near
              (br_if $looked (i32.gt_s (local.get $j) (local.get $end)))
              (if (f32.gt (f32.load (i32.add (local.get $f0) (i32.shl (local.get $j) (i32.const 2)))) (f32.const 0))
                (then (local.set $near (i32.const 1))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $near)))
          (br_if $next (i32.eqz (local.get $near)))
          (if (f64.ge (f64.sub (local.get $e) (f64.max
                (call $minOver (local.get $env) (local.get $n) (i32.sub (local.get $t) (local.get $dr)) (local.get $t))
                (call $minOver (local.get $env) (local.get $n) (local.get $t) (i32.add (local.get $t) (local.get $dr)))))
              (f64.load offset=16 (local.get $par)))
            (then (local.set $count (i32.add (local.get $count) (i32.const 1))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each)))
    (local.set $nf (f64.convert_i32_s (local.get $n)))
    (f64.store offset=0 (local.get $out) (if (result f64) (local.get $speech)
      (then (f64.div (f64.convert_i32_s (local.get $voiced)) (f64.convert_i32_s (local.get $speech)))) (else (f64.const 0))))
    (f64.store offset=8 (local.get $out) (if (result f64) (local.get $speech)
      (then (f64.div (local.get $sum) (f64.convert_i32_s (local.get $speech)))) (else (f64.const 0))))
    (f64.store offset=16 (local.get $out) (if (result f64) (local.get $pairs)
      (then (f64.div (local.get $pd) (local.get $ps))) (else (f64.const 0))))
    (f64.store offset=24 (local.get $out) (if (result f64) (local.get $pairs)
      (then (f64.div (local.get $ld) (f64.convert_i32_s (local.get $pairs)))) (else (f64.const 0))))
    (f64.store offset=32 (local.get $out) (if (result f64) (local.get $n)
      (then (f64.div (f64.convert_i32_s (local.get $count)) (f64.mul (local.get $nf) (f64.load offset=8 (local.get $par))))) (else (f64.const 0))))
    (f64.store offset=40 (local.get $out) (if (result f64) (local.get $n)
      (then (f64.sub (f64.const 1) (f64.div (f64.convert_i32_s (local.get $speech)) (local.get $nf)))) (else (f64.const 0))))
    (f64.store offset=48 (local.get $out) (f64.convert_i32_s (local.get $count))))

  ;; atan x bit for bit as V8's Math.atan: fdlibm's s_atan.c in V8's ieee754.cc, the same operations in the same order.
  (func $atan (param $x f64) (result f64)
    (local $hx i32) (local $ix i32) (local $id i32) (local $z f64) (local $w f64) (local $s1 f64) (local $s2 f64) (local $hi f64) (local $lo f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $ix (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    (if (i32.ge_s (local.get $ix) (i32.const 0x44100000))
      (then
        ;; |x| >= 2^66: NaN, or +-(atan(inf) hi + lo)
        (if (i64.gt_u (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0x7fffffffffffffff)) (i64.const 0x7ff0000000000000))
          (then (return (f64.add (local.get $x) (local.get $x)))))
        (if (i32.gt_s (local.get $hx) (i32.const 0))
          (then (return (f64.add (f64.const 0x1.921fb54442d18p0) (f64.const 0x1.1a62633145c07p-54)))))
        (return (f64.sub (f64.neg (f64.const 0x1.921fb54442d18p0)) (f64.const 0x1.1a62633145c07p-54)))))
    (local.set $id (i32.const -1))
    (if (i32.lt_s (local.get $ix) (i32.const 0x3fdc0000))
      (then
        ;; |x| < 2^-27: x itself
        (if (i32.lt_s (local.get $ix) (i32.const 0x3e400000)) (then (return (local.get $x)))))
      (else
        (local.set $x (f64.abs (local.get $x)))
        (if (i32.lt_s (local.get $ix) (i32.const 0x3ff30000))
          (then
            (if (i32.lt_s (local.get $ix) (i32.const 0x3fe60000))
              (then
                (local.set $id (i32.const 0))
                (local.set $x (f64.div (f64.sub (f64.mul (f64.const 2) (local.get $x)) (f64.const 1)) (f64.add (f64.const 2) (local.get $x)))))
              (else
                (local.set $id (i32.const 1))
                (local.set $x (f64.div (f64.sub (local.get $x) (f64.const 1)) (f64.add (local.get $x) (f64.const 1)))))))
          (else
            (if (i32.lt_s (local.get $ix) (i32.const 0x40038000))
              (then
                (local.set $id (i32.const 2))
                (local.set $x (f64.div (f64.sub (local.get $x) (f64.const 1.5)) (f64.add (f64.const 1) (f64.mul (f64.const 1.5) (local.get $x))))))
              (else
                (local.set $id (i32.const 3))
                (local.set $x (f64.div (f64.const -1) (local.get $x)))))))))
    (local.set $z (f64.mul (local.get $x) (local.get $x)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $s1 (f64.mul (local.get $z) (f64.add (f64.const 0x1.555555555550dp-2) (f64.mul (local.get $w)
      (f64.add (f64.const 0x1.24924920083ffp-3) (f64.mul (local.get $w) (f64.add (f64.const 0x1.745cdc54c206ep-4) (f64.mul (local.get $w)
        (f64.add (f64.const 0x1.10d66a0d03d51p-4) (f64.mul (local.get $w) (f64.add (f64.const 0x1.97b4b24760debp-5)
          (f64.mul (local.get $w) (f64.const 0x1.0ad3ae322da11p-6)))))))))))))
    (local.set $s2 (f64.mul (local.get $w) (f64.add (f64.const -0x1.999999998ebc4p-3) (f64.mul (local.get $w)
      (f64.add (f64.const -0x1.c71c6fe231671p-4) (f64.mul (local.get $w) (f64.add (f64.const -0x1.3b0f2af749a6dp-4) (f64.mul (local.get $w)
        (f64.add (f64.const -0x1.dde2d52defd9ap-5) (f64.mul (local.get $w) (f64.const -0x1.2b4442c6a6c2fp-5)))))))))))
    (if (i32.lt_s (local.get $id) (i32.const 0))
      (then (return (f64.sub (local.get $x) (f64.mul (local.get $x) (f64.add (local.get $s1) (local.get $s2)))))))
    (local.set $hi (select (select (f64.const 0x1.dac670561bb4fp-2) (f64.const 0x1.921fb54442d18p-1) (i32.eqz (local.get $id)))
      (select (f64.const 0x1.f730bd281f69bp-1) (f64.const 0x1.921fb54442d18p0) (i32.eq (local.get $id) (i32.const 2)))
      (i32.lt_s (local.get $id) (i32.const 2))))
    (local.set $lo (select (select (f64.const 0x1.a2b7f222f65e2p-56) (f64.const 0x1.1a62633145c07p-55) (i32.eqz (local.get $id)))
      (select (f64.const 0x1.007887af0cbbdp-56) (f64.const 0x1.1a62633145c07p-54) (i32.eq (local.get $id) (i32.const 2)))
      (i32.lt_s (local.get $id) (i32.const 2))))
    (local.set $z (f64.sub (local.get $hi) (f64.sub (f64.sub (f64.mul (local.get $x) (f64.add (local.get $s1) (local.get $s2))) (local.get $lo)) (local.get $x))))
    (select (f64.neg (local.get $z)) (local.get $z) (i32.lt_s (local.get $hx) (i32.const 0))))

  ;; atan2(y, x) bit for bit as V8's Math.atan2 (fdlibm's e_atan2.c in V8's ieee754.cc; tiny = 1e-300 is added
  ;; where it adds it, which rounds it away).
  (func $atan2 (param $y f64) (param $x f64) (result f64)
    (local $hx i32) (local $hy i32) (local $ix i32) (local $iy i32) (local $m i32) (local $k i32) (local $z f64)
    (if (i32.or
          (i64.gt_u (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0x7fffffffffffffff)) (i64.const 0x7ff0000000000000))
          (i64.gt_u (i64.and (i64.reinterpret_f64 (local.get $y)) (i64.const 0x7fffffffffffffff)) (i64.const 0x7ff0000000000000)))
      (then (return (f64.add (local.get $x) (local.get $y)))))
    (if (i64.eq (i64.reinterpret_f64 (local.get $x)) (i64.const 0x3ff0000000000000)) (then (return (call $atan (local.get $y)))))
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $hy (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $y)) (i64.const 32))))
    (local.set $ix (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    (local.set $iy (i32.and (local.get $hy) (i32.const 0x7fffffff)))
    ;; 2·sign(x) + sign(y)
    (local.set $m (i32.or (i32.shr_u (local.get $hy) (i32.const 31)) (i32.and (i32.shr_s (local.get $hx) (i32.const 30)) (i32.const 2))))
    ;; y = 0
    (if (i64.eqz (i64.and (i64.reinterpret_f64 (local.get $y)) (i64.const 0x7fffffffffffffff)))
      (then
        (if (i32.lt_u (local.get $m) (i32.const 2)) (then (return (local.get $y))))
        (if (i32.eq (local.get $m) (i32.const 2)) (then (return (f64.add (f64.const 0x1.921fb54442d18p1) (f64.const 1e-300)))))
        (return (f64.sub (f64.neg (f64.const 0x1.921fb54442d18p1)) (f64.const 1e-300)))))
    ;; x = 0
    (if (i64.eqz (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0x7fffffffffffffff)))
      (then (return (select (f64.sub (f64.neg (f64.const 0x1.921fb54442d18p0)) (f64.const 1e-300)) (f64.add (f64.const 0x1.921fb54442d18p0) (f64.const 1e-300))
        (i32.lt_s (local.get $hy) (i32.const 0))))))
    ;; x infinite
    (if (i32.eq (local.get $ix) (i32.const 0x7ff00000))
      (then
        (if (i32.eq (local.get $iy) (i32.const 0x7ff00000))
          (then
            (if (i32.eqz (local.get $m)) (then (return (f64.add (f64.const 0x1.921fb54442d18p-1) (f64.const 1e-300)))))
            (if (i32.eq (local.get $m) (i32.const 1)) (then (return (f64.sub (f64.neg (f64.const 0x1.921fb54442d18p-1)) (f64.const 1e-300)))))
            (if (i32.eq (local.get $m) (i32.const 2)) (then (return (f64.add (f64.mul (f64.const 3) (f64.const 0x1.921fb54442d18p-1)) (f64.const 1e-300)))))
            (return (f64.sub (f64.mul (f64.const -3) (f64.const 0x1.921fb54442d18p-1)) (f64.const 1e-300)))))
        (if (i32.eqz (local.get $m)) (then (return (f64.const 0))))
        (if (i32.eq (local.get $m) (i32.const 1)) (then (return (f64.const -0))))
        (if (i32.eq (local.get $m) (i32.const 2)) (then (return (f64.add (f64.const 0x1.921fb54442d18p1) (f64.const 1e-300)))))
        (return (f64.sub (f64.neg (f64.const 0x1.921fb54442d18p1)) (f64.const 1e-300)))))
    ;; y infinite
    (if (i32.eq (local.get $iy) (i32.const 0x7ff00000))
      (then (return (select (f64.sub (f64.neg (f64.const 0x1.921fb54442d18p0)) (f64.const 1e-300)) (f64.add (f64.const 0x1.921fb54442d18p0) (f64.const 1e-300))
        (i32.lt_s (local.get $hy) (i32.const 0))))))
    (local.set $k (i32.shr_s (i32.sub (local.get $iy) (local.get $ix)) (i32.const 20)))
    (if (i32.gt_s (local.get $k) (i32.const 60))
      (then
        (local.set $z (f64.add (f64.const 0x1.921fb54442d18p0) (f64.mul (f64.const 0.5) (f64.const 0x1.1a62633145c07p-53))))
        (local.set $m (i32.and (local.get $m) (i32.const 1))))
      (else
        (if (i32.and (i32.lt_s (local.get $hx) (i32.const 0)) (i32.lt_s (local.get $k) (i32.const -60)))
          (then (local.set $z (f64.const 0)))
          (else (local.set $z (call $atan (f64.abs (f64.div (local.get $y) (local.get $x)))))))))
    (if (i32.eqz (local.get $m)) (then (return (local.get $z))))
    (if (i32.eq (local.get $m) (i32.const 1)) (then (return (f64.neg (local.get $z)))))
    (if (i32.eq (local.get $m) (i32.const 2)) (then (return (f64.sub (f64.const 0x1.921fb54442d18p1) (f64.sub (local.get $z) (f64.const 0x1.1a62633145c07p-53))))))
    (f64.sub (f64.sub (local.get $z) (f64.const 0x1.1a62633145c07p-53)) (f64.const 0x1.921fb54442d18p1)))

  ;; Math.hypot(x, y) bit for bit as V8's builtin computes it for two arguments (src/builtins/math.tq): the largest
  ;; magnitude scaled out, the squares added, the square root scaled back; Kahan's compensation after the first
  ;; square is (a^2 - 0) - a^2 = 0 (a is finite), so the builtin's second sum is exactly a^2 + b^2.
  (func $hypot (param $x f64) (param $y f64) (result f64)
    (local $ax f64) (local $ay f64) (local $max f64) (local $a f64) (local $b f64)
    (local.set $ax (f64.abs (local.get $x)))
    (local.set $ay (f64.abs (local.get $y)))
    (if (i32.or (f64.eq (local.get $ax) (f64.const inf)) (f64.eq (local.get $ay) (f64.const inf))) (then (return (f64.const inf))))
    (if (i32.or (f64.ne (local.get $ax) (local.get $ax)) (f64.ne (local.get $ay) (local.get $ay))) (then (return (f64.const nan))))
    (local.set $max (select (local.get $ax) (local.get $ay) (f64.gt (local.get $ax) (local.get $ay))))
    (if (f64.eq (local.get $max) (f64.const 0)) (then (return (f64.const 0))))
    (local.set $a (f64.div (local.get $ax) (local.get $max)))
    (local.set $b (f64.div (local.get $ay) (local.get $max)))
    (f64.mul (f64.sqrt (f64.add (f64.mul (local.get $a) (local.get $a)) (f64.mul (local.get $b) (local.get $b)))) (local.get $max)))

  ;; formants.ts's candidates of one frame, as its JavaScript picked them: each root (f64 at $re, $im, 10 of them)
  ;; in the upper half plane at f = atan2(im, re)·$rate/(2 pi) Hz with bandwidth −ln|root|·$rate/pi Hz, kept when
  ;; $minHz < f < $maxHz and 0 < bandwidth < $maxBw, sorted by f as inserted (f64 at $hz, $bw). Returns how many.
  (func $formantCandidates (param $re i32) (param $im i32) (param $hz i32) (param $bw i32) (param $rate f64) (param $minHz f64)
    (param $maxHz f64) (param $maxBw f64) (result i32)
    (local $i i32) (local $n i32) (local $k i32) (local $x f64) (local $y f64) (local $f f64) (local $b f64)
    (loop $roots
      (local.set $y (f64.load (i32.add (local.get $im) (i32.shl (local.get $i) (i32.const 3)))))
      (block $next
        (br_if $next (f64.le (local.get $y) (f64.const 0)))
        (local.set $x (f64.load (i32.add (local.get $re) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $f (f64.div (f64.mul (call $atan2 (local.get $y) (local.get $x)) (local.get $rate)) (f64.const 0x1.921fb54442d18p2)))
        (local.set $b (f64.div (f64.mul (f64.neg (call $log (call $hypot (local.get $x) (local.get $y)))) (local.get $rate))
          (f64.const 0x1.921fb54442d18p1)))
        (br_if $next (i32.eqz (i32.and (i32.and (f64.gt (local.get $f) (local.get $minHz)) (f64.lt (local.get $f) (local.get $maxHz)))
          (i32.and (f64.gt (local.get $b) (f64.const 0)) (f64.lt (local.get $b) (local.get $maxBw))))))
        (local.set $k (local.get $n))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (block $placed
          (loop $shift
            (br_if $placed (i32.eqz (local.get $k)))
            (br_if $placed (i32.eqz (f64.gt (f64.load (i32.add (local.get $hz) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 3))))
              (local.get $f))))
            (f64.store (i32.add (local.get $hz) (i32.shl (local.get $k) (i32.const 3)))
              (f64.load (i32.add (local.get $hz) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 3)))))
            (f64.store (i32.add (local.get $bw) (i32.shl (local.get $k) (i32.const 3)))
              (f64.load (i32.add (local.get $bw) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 3)))))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $shift)))
        (f64.store (i32.add (local.get $hz) (i32.shl (local.get $k) (i32.const 3))) (local.get $f))
        (f64.store (i32.add (local.get $bw) (i32.shl (local.get $k) (i32.const 3))) (local.get $b)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $roots (i32.lt_u (local.get $i) (i32.const 10))))
    (local.get $n))

  ;; formants.ts's frame loop for frames $t0…$t1 − 1, as its JavaScript ran it: every frame's three F and three
  ;; bandwidth values (f32 rows, NaN unless found) and, for a voiced frame whose window lies in the signal held
  ;; (samples $from…$to − 1), lpcRoots on it (warm after the first success) and its candidates. Returns the first
  ;; voiced frame whose window is not held (the caller loads it and calls again), else $t1. The rest from $par:
  ;; i32 at 0…60: voiced (a byte per frame from $t0), signal (d[$from − 1] first), lpcRoots' ham, buf, r, a, prev,
  ;; re, im, cold, the rows, the row stride (bytes), the warm flag (kept here), step, window, found (2 × 10 f64);
  ;; f64 at 64…112: lpcRoots' r0, nc, ns, then rate, minHz, maxHz, maxBw.
  (func (export "formantRange") (param $par i32) (param $t0 i32) (param $t1 i32) (param $from i32) (param $to i32) (result i32)
    (local $t i32) (local $o i32) (local $k i32) (local $n i32) (local $start i32) (local $rows i32) (local $stride i32) (local $found i32)
    (local.set $rows (i32.load offset=40 (local.get $par)))
    (local.set $stride (i32.load offset=44 (local.get $par)))
    (local.set $found (i32.load offset=60 (local.get $par)))
    (local.set $t (local.get $t0))
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $t1)))
        (local.set $o (i32.add (local.get $rows) (i32.shl (i32.sub (local.get $t) (local.get $t0)) (i32.const 2))))
        (local.set $k (i32.const 0))
        (loop $clear
          (f32.store (i32.add (local.get $o) (i32.mul (local.get $k) (local.get $stride))) (f32.const nan))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $clear (i32.lt_u (local.get $k) (i32.const 6))))
        (block $next
          (br_if $next (i32.eqz (i32.load8_u (i32.add (i32.load offset=0 (local.get $par)) (i32.sub (local.get $t) (local.get $t0))))))
          (local.set $start (i32.sub (i32.mul (local.get $t) (i32.load offset=52 (local.get $par)))
            (i32.shr_s (i32.load offset=56 (local.get $par)) (i32.const 1))))
          (if (i32.or (i32.lt_s (local.get $start) (local.get $from))
                (i32.gt_s (i32.add (local.get $start) (i32.load offset=56 (local.get $par))) (local.get $to)))
            (then (return (local.get $t))))
          (br_if $next (i32.eqz (call $lpcRoots
            (i32.add (i32.load offset=4 (local.get $par)) (i32.shl (i32.sub (local.get $start) (local.get $from)) (i32.const 2)))
            (i32.load offset=8 (local.get $par)) (i32.load offset=12 (local.get $par)) (i32.load offset=16 (local.get $par))
            (f64.load offset=64 (local.get $par)) (i32.load offset=20 (local.get $par)) (i32.load offset=24 (local.get $par))
            (i32.load offset=28 (local.get $par)) (i32.load offset=32 (local.get $par)) (i32.load offset=36 (local.get $par))
            (f64.load offset=72 (local.get $par)) (f64.load offset=80 (local.get $par)) (i32.load offset=48 (local.get $par)))))
          (i32.store offset=48 (local.get $par) (i32.const 1))
          (local.set $n (call $formantCandidates (i32.load offset=28 (local.get $par)) (i32.load offset=32 (local.get $par))
            (local.get $found) (i32.add (local.get $found) (i32.const 80)) (f64.load offset=88 (local.get $par))
            (f64.load offset=96 (local.get $par)) (f64.load offset=104 (local.get $par)) (f64.load offset=112 (local.get $par))))
          (local.set $k (i32.const 0))
          (block $stored
            (loop $store
              (br_if $stored (i32.or (i32.ge_s (local.get $k) (i32.const 3)) (i32.ge_s (local.get $k) (local.get $n))))
              (f32.store (i32.add (local.get $o) (i32.mul (local.get $k) (local.get $stride)))
                (f32.demote_f64 (f64.load (i32.add (local.get $found) (i32.shl (local.get $k) (i32.const 3))))))
              (f32.store (i32.add (local.get $o) (i32.mul (i32.add (local.get $k) (i32.const 3)) (local.get $stride)))
                (f32.demote_f64 (f64.load offset=80 (i32.add (local.get $found) (i32.shl (local.get $k) (i32.const 3))))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $store))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames)))
    (local.get $t1))

  ;; stats.ts's moments of $count tracks (f32 rows of $stride bytes from $rows) over the $n frames listed at $idx
  ;; (i32), as its JavaScript computed them: the sum in list order over n, then the sum of squared differences
  ;; from that mean in list order (f64 at $mean and $sq + 8k).
  (func (export "trackMoments") (param $rows i32) (param $stride i32) (param $count i32) (param $idx i32) (param $n i32)
    (param $mean i32) (param $sq i32)
    (local $k i32) (local $i i32) (local $row i32) (local $s f64) (local $m f64) (local $d f64) (local $nf f64)
    (local.set $nf (f64.convert_i32_s (local.get $n)))
    (block $done
      (loop $tracks
        (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
        (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $k) (local.get $stride))))
        (local.set $s (f64.const 0))
        (local.set $i (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (i32.add (local.get $row)
              (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sum)))
        (local.set $m (f64.div (local.get $s) (local.get $nf)))
        (local.set $s (f64.const 0))
        (local.set $i (i32.const 0))
        (block $squared
          (loop $square
            (br_if $squared (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $d (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $row)
              (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))) (local.get $m)))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $d) (local.get $d))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $square)))
        (f64.store (i32.add (local.get $mean) (i32.shl (local.get $k) (i32.const 3))) (local.get $m))
        (f64.store (i32.add (local.get $sq) (i32.shl (local.get $k) (i32.const 3))) (local.get $s))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $tracks))))

  ;; e^x bit for bit as V8's Math.exp: fdlibm's e_exp.c in V8's ieee754.cc (with its exact e for x = 1), the same
  ;; operations in the same order.
  (func $exp (param $x f64) (result f64)
    (local $hx i32) (local $xsb i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64)
    (local $twopk f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $xsb (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    ;; |x| >= 709.78...: NaN, +inf, 0 (for -inf), overflow or underflow
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862e42))
      (then
        (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000))
          (then
            (if (i64.ne (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0x000fffffffffffff)) (i64.const 0))
              (then (return (f64.add (local.get $x) (local.get $x)))))
            (return (select (local.get $x) (f64.const 0) (i32.eqz (local.get $xsb))))))
        (if (f64.gt (local.get $x) (f64.const 0x1.62e42fefa39efp9)) (then (return (f64.mul (f64.const 1e300) (f64.const 1e300)))))
        (if (f64.lt (local.get $x) (f64.const -0x1.74910d52d3051p9)) (then (return (f64.mul (f64.const 0x1p-1000) (f64.const 0x1p-1000)))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $hx) (i32.const 0x3ff0a2b2))
          (then
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 0x1.5bf0a8b145769p1))))
            (local.set $hi (f64.sub (local.get $x) (select (f64.const -0x1.62e42feep-1) (f64.const 0x1.62e42feep-1) (local.get $xsb))))
            (local.set $lo (select (f64.const -0x1.a39ef35793c76p-33) (f64.const 0x1.a39ef35793c76p-33) (local.get $xsb)))
            (local.set $k (i32.sub (i32.sub (i32.const 1) (local.get $xsb)) (local.get $xsb))))
          (else
            (local.set $k (i32.trunc_sat_f64_s (f64.add (f64.mul (f64.const 0x1.71547652b82fep0) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 0x1.62e42feep-1))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 0x1.a39ef35793c76p-33)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        ;; |x| < 2^-28: 1 + x
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000)) (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $twopk (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (i32.const 0x3ff00000)
      (i32.shl (select (local.get $k) (i32.add (local.get $k) (i32.const 1000)) (i32.ge_s (local.get $k) (i32.const -1021))) (i32.const 20))))
      (i64.const 32))))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.add (f64.const 0x1.555555555553ep-3) (f64.mul (local.get $t)
      (f64.add (f64.const -0x1.6c16c16bebd93p-9) (f64.mul (local.get $t) (f64.add (f64.const 0x1.1566aaf25de2cp-14) (f64.mul (local.get $t)
        (f64.add (f64.const -0x1.bbd41c5d26bf1p-20) (f64.mul (local.get $t) (f64.const 0x1.6376972bea4dp-25))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (f64.const 1) (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2)))
        (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1) (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c))
      (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then
        (if (i32.eq (local.get $k) (i32.const 1024)) (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 0x1p1023)))))
        (return (f64.mul (local.get $y) (local.get $twopk)))))
    (f64.mul (f64.mul (local.get $y) (local.get $twopk)) (f64.const 0x1p-1000)))

  ;; For the tests (math-ports.test), one loop over the exact ports of V8's Math functions: out[i] = log2 y[i] ($fn 0),
  ;; log10 y[i] (1), atan2(y[i], x[i]) (2), hypot(x[i], y[i]) (3) or exp y[i] (4), f64 at byte offsets, $n values
  ;; (x is read whatever $fn, so it must be readable).
  (func (export "mathPorts") (param $fn i32) (param $y i32) (param $x i32) (param $n i32) (param $out i32)
    (local $i i32) (local $a f64) (local $b f64) (local $r f64)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $b (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
        (block $picked
          (block $toExp
            (block $toHypot
              (block $toAtan2
                (block $toLog10
                  (block $toLog2
                    (br_table $toLog2 $toLog10 $toAtan2 $toHypot $toExp (local.get $fn)))
                  (local.set $r (call $log2 (local.get $a)))
                  (br $picked))
                (local.set $r (call $log10 (local.get $a)))
                (br $picked))
              (local.set $r (call $atan2 (local.get $a) (local.get $b)))
              (br $picked))
            (local.set $r (call $hypot (local.get $b) (local.get $a)))
            (br $picked))
          (local.set $r (call $exp (local.get $a))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $r))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; spectral.ts's per-frame shape from the "shape" kernel's records ($n of them at $rec: 9 f64 and $groups
  ;; products), as its JavaScript computed it, f32 rows of $stride bytes at $out: centroid, bandwidth, roll-off (the
  ;; frequency, f64 at $fq, of the record's bin; these three 0 where the total is not positive), flatness
  ;; (exp of the mean ln over $bins bins, over the mean), and the alpha ratio and Hammarberg index in dB
  ;; (10 log10 of the floored ratio of two record values, floor $amin).
  (func (export "shapeFrames") (param $rec i32) (param $n i32) (param $groups i32) (param $bins f64) (param $fq i32)
    (param $amin f64) (param $out i32) (param $stride i32)
    (local $i i32) (local $g i32) (local $r i32) (local $o i32) (local $total f64) (local $c f64) (local $log f64)
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $r (i32.add (local.get $rec) (i32.mul (local.get $i) (i32.shl (i32.add (local.get $groups) (i32.const 9)) (i32.const 3)))))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $log (f64.const 0))
        (local.set $g (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_s (local.get $g) (local.get $groups)))
            (local.set $log (f64.add (local.get $log) (call $log (f64.load offset=72 (i32.add (local.get $r) (i32.shl (local.get $g) (i32.const 3)))))))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $sum)))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 3)))
          (f32.demote_f64 (f64.div (call $exp (f64.div (local.get $log) (local.get $bins))) (f64.div (f64.load offset=24 (local.get $r)) (local.get $bins)))))
        (local.set $total (f64.load (local.get $r)))
        (if (f64.gt (local.get $total) (f64.const 0))
          (then
            (local.set $c (f64.div (f64.load offset=8 (local.get $r)) (local.get $total)))
            (f32.store (local.get $o) (f32.demote_f64 (local.get $c)))
            (f32.store (i32.add (local.get $o) (local.get $stride))
              (f32.demote_f64 (f64.sqrt (f64.max (f64.const 0) (f64.sub (f64.div (f64.load offset=16 (local.get $r)) (local.get $total))
                (f64.mul (local.get $c) (local.get $c)))))))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $stride) (i32.const 1)))
              (f32.demote_f64 (f64.load (i32.add (local.get $fq) (i32.shl (i32.trunc_sat_f64_s (f64.load offset=64 (local.get $r))) (i32.const 3)))))))
          (else
            (f32.store (local.get $o) (f32.const 0))
            (f32.store (i32.add (local.get $o) (local.get $stride)) (f32.const 0))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $stride) (i32.const 1))) (f32.const 0))))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $stride) (i32.const 2)))
          (f32.demote_f64 (f64.mul (f64.const 10) (call $log10 (f64.div (f64.add (f64.load offset=32 (local.get $r)) (local.get $amin))
            (f64.add (f64.load offset=40 (local.get $r)) (local.get $amin)))))))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 5)))
          (f32.demote_f64 (f64.mul (f64.const 10) (call $log10 (f64.div (f64.add (f64.load offset=48 (local.get $r)) (local.get $amin))
            (f64.add (f64.load offset=56 (local.get $r)) (local.get $amin)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $frames))))

  ;; ==== hot2 (lane hot2, session 15): the loops of features f8's utterance shape ====

  ;; voiced-spectrum.ts teager(): for each frame t of t0...t1-1 whose F0 (f32 at $f0, from frame t0) is not 0,
  ;; over samples i of max(1, t*hop - before) ... min(len-1, t*hop + after) - 1 the sums
  ;; te += x[i]*x[i] - x[i-1]*x[i+1] and p += x[i]*x[i] (f64, in order), and where both are positive
  ;; ln(te/p) ($log, V8's Math.log) to the next f64 at $out. x: f32 at $x holding the clip's samples from
  ;; index $first on; len: the clip's length. Returns how many were written. The same operations in the same
  ;; order as the JavaScript (voiced-spectrum.test keeps it as the reference).
  (func (export "teagerRatios") (param $x i32) (param $first i32) (param $len i32) (param $f0 i32) (param $t0 i32)
    (param $t1 i32) (param $hop i32) (param $before i32) (param $after i32) (param $out i32) (result i32)
    (local $t i32) (local $n i32) (local $i i32) (local $s1 i32) (local $a i32) (local $end i32) (local $te f64) (local $p f64)
    (local $xi f64) (local $prev f64) (local $next f64) (local $sq f64)
    (local.set $t (local.get $t0))
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $t1)))
        (if (f32.ne (f32.load (i32.add (local.get $f0) (i32.shl (i32.sub (local.get $t) (local.get $t0)) (i32.const 2)))) (f32.const 0))
          (then
            (local.set $i (i32.sub (i32.mul (local.get $t) (local.get $hop)) (local.get $before)))
            (if (i32.lt_s (local.get $i) (i32.const 1)) (then (local.set $i (i32.const 1))))
            (local.set $s1 (i32.add (i32.mul (local.get $t) (local.get $hop)) (local.get $after)))
            (if (i32.gt_s (local.get $s1) (i32.sub (local.get $len) (i32.const 1))) (then (local.set $s1 (i32.sub (local.get $len) (i32.const 1)))))
            (local.set $te (f64.const 0))
            (local.set $p (f64.const 0))
            ;; x[i - 1] and x[i] carried from one sample to the next: one load per sample
            (local.set $a (i32.add (local.get $x) (i32.shl (i32.sub (local.get $i) (local.get $first)) (i32.const 2))))
            (local.set $end (i32.add (local.get $x) (i32.shl (i32.sub (local.get $s1) (local.get $first)) (i32.const 2))))
            (if (i32.lt_s (local.get $i) (local.get $s1))
              (then
                (local.set $prev (f64.promote_f32 (f32.load (i32.sub (local.get $a) (i32.const 4)))))
                (local.set $xi (f64.promote_f32 (f32.load (local.get $a))))
                (loop $sum
                  (local.set $next (f64.promote_f32 (f32.load offset=4 (local.get $a))))
                  (local.set $sq (f64.mul (local.get $xi) (local.get $xi)))
                  (local.set $te (f64.add (local.get $te) (f64.sub (local.get $sq) (f64.mul (local.get $prev) (local.get $next)))))
                  (local.set $p (f64.add (local.get $p) (local.get $sq)))
                  (local.set $prev (local.get $xi))
                  (local.set $xi (local.get $next))
                  (local.set $a (i32.add (local.get $a) (i32.const 4)))
                  (br_if $sum (i32.lt_u (local.get $a) (local.get $end))))))
            (if (i32.and (f64.gt (local.get $p) (f64.const 0)) (f64.gt (local.get $te) (f64.const 0)))
              (then
                (f64.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (call $log (f64.div (local.get $te) (local.get $p))))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames)))
    (local.get $n))

  ;; voiced-spectrum.ts speechMeans(): over frames 0...n-1 of a chunk (log-mel rows of $nm f32 at $lm, the speech
  ;; mask u8 at $sp, F0 f32 at $f0), each speech frame's row added (f64 += f32) to the sums at $voiced (F0 not 0)
  ;; or $unvoiced ($nm f64 each, kept across a clip's chunks), and 1 to the i32 count at $counts (voiced) or
  ;; $counts + 4. The same additions in the same order as the JavaScript (voiced-spectrum.test's reference).
  (func (export "speechSums") (param $lm i32) (param $sp i32) (param $f0 i32) (param $n i32) (param $nm i32)
    (param $voiced i32) (param $unvoiced i32) (param $counts i32)
    (local $t i32) (local $m i32) (local $dst i32) (local $row i32) (local $c i32)
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $n)))
        (if (i32.load8_u (i32.add (local.get $sp) (local.get $t)))
          (then
            (if (f32.ne (f32.load (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2)))) (f32.const 0))
              (then (local.set $dst (local.get $voiced)) (local.set $c (local.get $counts)))
              (else (local.set $dst (local.get $unvoiced)) (local.set $c (i32.add (local.get $counts) (i32.const 4)))))
            (local.set $row (i32.add (local.get $lm) (i32.shl (i32.mul (local.get $t) (local.get $nm)) (i32.const 2))))
            (local.set $m (i32.const 0))
            (block $rowDone
              (loop $bands
                (br_if $rowDone (i32.ge_s (local.get $m) (local.get $nm)))
                (f64.store (i32.add (local.get $dst) (i32.shl (local.get $m) (i32.const 3)))
                  (f64.add (f64.load (i32.add (local.get $dst) (i32.shl (local.get $m) (i32.const 3))))
                    (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $m) (i32.const 2)))))))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))
                (br $bands)))
            (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames))))

  ;; band-modulation.ts groupLevel(): for frames 0...n-1 of a chunk (log-mel rows of $nm f32 at $lm), the mean of
  ;; bands lo...hi-1 (f64 sum in band order over the count) to the f64 at $env.
  (func (export "groupLevel") (param $lm i32) (param $n i32) (param $nm i32) (param $lo i32) (param $hi i32) (param $env i32)
    (local $t i32) (local $m i32) (local $row i32) (local $s f64)
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $row (i32.add (local.get $lm) (i32.shl (i32.mul (local.get $t) (local.get $nm)) (i32.const 2))))
        (local.set $s (f64.const 0))
        (local.set $m (local.get $lo))
        (block $rowDone
          (loop $bands
            (br_if $rowDone (i32.ge_s (local.get $m) (local.get $hi)))
            (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $m) (i32.const 2)))))))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))
            (br $bands)))
        (f64.store (i32.add (local.get $env) (i32.shl (local.get $t) (i32.const 3)))
          (f64.div (local.get $s) (f64.convert_i32_s (i32.sub (local.get $hi) (local.get $lo)))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames))))

  ;; formant-shape.ts formantShape(): over frames 0...n-1 where F1, F2 and F3 (f32 at $f1, $f2, $f3) are all > 0,
  ;; the mean of (F3 - F1)/2, of log2(F2/F1) and the spread of log2 F1 ($log2, V8's Math.log2), as f64 at $out;
  ;; returns how many frames counted (0: nothing written). The same operations in the same order as the
  ;; JavaScript (formant-shape.test's reference).
  (func (export "formantShape") (param $f1 i32) (param $f2 i32) (param $f3 i32) (param $n i32) (param $out i32) (result i32)
    (local $t i32) (local $k i32) (local $a f64) (local $b f64) (local $c f64)
    (local $dispersion f64) (local $ratio f64) (local $logSum f64) (local $logMean f64) (local $sq f64) (local $d f64)
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $a (f64.promote_f32 (f32.load (i32.add (local.get $f1) (i32.shl (local.get $t) (i32.const 2))))))
        (local.set $b (f64.promote_f32 (f32.load (i32.add (local.get $f2) (i32.shl (local.get $t) (i32.const 2))))))
        (local.set $c (f64.promote_f32 (f32.load (i32.add (local.get $f3) (i32.shl (local.get $t) (i32.const 2))))))
        (if (i32.and (i32.and (f64.gt (local.get $a) (f64.const 0)) (f64.gt (local.get $b) (f64.const 0))) (f64.gt (local.get $c) (f64.const 0)))
          (then
            (local.set $dispersion (f64.add (local.get $dispersion) (f64.div (f64.sub (local.get $c) (local.get $a)) (f64.const 2))))
            (local.set $ratio (f64.add (local.get $ratio) (call $log2 (f64.div (local.get $b) (local.get $a)))))
            (local.set $logSum (f64.add (local.get $logSum) (call $log2 (local.get $a))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames)))
    (if (i32.eqz (local.get $k)) (then (return (i32.const 0))))
    (local.set $logMean (f64.div (local.get $logSum) (f64.convert_i32_s (local.get $k))))
    (local.set $t (i32.const 0))
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $a (f64.promote_f32 (f32.load (i32.add (local.get $f1) (i32.shl (local.get $t) (i32.const 2))))))
        (if (i32.and (i32.and (f64.gt (local.get $a) (f64.const 0))
              (f32.gt (f32.load (i32.add (local.get $f2) (i32.shl (local.get $t) (i32.const 2)))) (f32.const 0)))
              (f32.gt (f32.load (i32.add (local.get $f3) (i32.shl (local.get $t) (i32.const 2)))) (f32.const 0)))
          (then
            (local.set $d (f64.sub (call $log2 (local.get $a)) (local.get $logMean)))
            (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $d) (local.get $d))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames)))
    (f64.store (local.get $out) (f64.div (local.get $dispersion) (f64.convert_i32_s (local.get $k))))
    (f64.store offset=8 (local.get $out) (f64.div (local.get $ratio) (f64.convert_i32_s (local.get $k))))
    (f64.store offset=16 (local.get $out) (f64.sqrt (f64.div (local.get $sq) (f64.convert_i32_s (local.get $k)))))
    (local.get $k))

  ;; value-stats.ts meanOf: the f64 sum of a[0...n-1] in order over n (0 for none).
  (func $meanOf (param $a i32) (param $n i32) (result f64)
    (local $i i32) (local $s f64)
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $s (f64.add (local.get $s) (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (if (result f64) (local.get $n) (then (f64.div (local.get $s) (f64.convert_i32_s (local.get $n)))) (else (f64.const 0))))

  ;; pitch-shape.ts secondDifference() and voicedRuns() over F0 (f32 at $f0, $frames, 0 unvoiced), to f64 at
  ;; $out: the mean |second difference| under $maxDiff of three consecutive voiced frames; then over voiced stretches
  ;; of >= $minRun frames, the slope (value-stats.ts slopeOf over time k * $dt and F0, means first) and the range
  ;; (f64.min / f64.max, as Math.min / Math.max) to the f64 lists at $slopes and $ranges (one per stretch), and
  ;; their mean slope, mean |slope|, mean range and last slope. The same operations in the same order as the
  ;; JavaScript (pitch-shape.test's reference).
  (func (export "pitchRuns") (param $f0 i32) (param $frames i32) (param $dt f64) (param $maxDiff f64) (param $minRun i32)
    (param $slopes i32) (param $ranges i32) (param $out i32)
    (local $t i32) (local $k i32) (local $n i32) (local $start i32) (local $runs i32) (local $len i32) (local $v i32)
    (local $a f64) (local $b f64) (local $c f64) (local $d f64) (local $sum f64)
    (local $lo f64) (local $hi f64) (local $mx f64) (local $my f64) (local $sx f64) (local $sy f64) (local $sxy f64) (local $sxx f64) (local $abs f64)
    ;; secondDifference
    (local.set $t (i32.const 2))
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $frames)))
        (local.set $a (f64.promote_f32 (f32.load (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2))))))
        (local.set $b (f64.promote_f32 (f32.load (i32.add (local.get $f0) (i32.shl (i32.sub (local.get $t) (i32.const 1)) (i32.const 2))))))
        (local.set $c (f64.promote_f32 (f32.load (i32.add (local.get $f0) (i32.shl (i32.sub (local.get $t) (i32.const 2)) (i32.const 2))))))
        (if (i32.eqz (i32.or (i32.or (f64.eq (local.get $a) (f64.const 0)) (f64.eq (local.get $b) (f64.const 0))) (f64.eq (local.get $c) (f64.const 0))))
          (then
            (local.set $d (f64.add (f64.sub (local.get $a) (f64.mul (f64.const 2) (local.get $b))) (local.get $c)))
            (if (f64.lt (f64.abs (local.get $d)) (local.get $maxDiff))
              (then
                (local.set $sum (f64.add (local.get $sum) (f64.abs (local.get $d))))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames)))
    (f64.store (local.get $out) (if (result f64) (local.get $n) (then (f64.div (local.get $sum) (f64.convert_i32_s (local.get $n)))) (else (f64.const 0))))
    ;; voicedRuns
    (local.set $start (i32.const -1))
    (local.set $t (i32.const 0))
    (block $done
      (loop $frames
        (br_if $done (i32.gt_s (local.get $t) (local.get $frames)))
        (local.set $v (i32.const 0))
        (if (i32.lt_s (local.get $t) (local.get $frames))
          (then (local.set $v (f32.ne (f32.load (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2)))) (f32.const 0)))))
        (if (i32.and (local.get $v) (i32.lt_s (local.get $start) (i32.const 0))) (then (local.set $start (local.get $t))))
        (if (i32.and (i32.eqz (local.get $v)) (i32.ge_s (local.get $start) (i32.const 0)))
          (then
            (local.set $len (i32.sub (local.get $t) (local.get $start)))
            (if (i32.ge_s (local.get $len) (local.get $minRun))
              (then
                (local.set $lo (f64.const inf))
                (local.set $hi (f64.const -inf))
                (local.set $sx (f64.const 0))
                (local.set $sy (f64.const 0))
                (local.set $k (local.get $start))
                (block $ranged
                  (loop $range
                    (br_if $ranged (i32.ge_s (local.get $k) (local.get $t)))
                    (local.set $a (f64.promote_f32 (f32.load (i32.add (local.get $f0) (i32.shl (local.get $k) (i32.const 2))))))
                    (local.set $sx (f64.add (local.get $sx) (f64.mul (f64.convert_i32_s (local.get $k)) (local.get $dt))))
                    (local.set $sy (f64.add (local.get $sy) (local.get $a)))
                    (local.set $lo (f64.min (local.get $lo) (local.get $a)))
                    (local.set $hi (f64.max (local.get $hi) (local.get $a)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $range)))
                (local.set $mx (f64.div (local.get $sx) (f64.convert_i32_s (local.get $len))))
                (local.set $my (f64.div (local.get $sy) (f64.convert_i32_s (local.get $len))))
                (local.set $sxy (f64.const 0))
                (local.set $sxx (f64.const 0))
                (local.set $k (local.get $start))
                (block $fitted
                  (loop $fit
                    (br_if $fitted (i32.ge_s (local.get $k) (local.get $t)))
                    (local.set $a (f64.sub (f64.mul (f64.convert_i32_s (local.get $k)) (local.get $dt)) (local.get $mx)))
                    (local.set $sxy (f64.add (local.get $sxy) (f64.mul (local.get $a)
                      (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $f0) (i32.shl (local.get $k) (i32.const 2))))) (local.get $my)))))
                    (local.set $sxx (f64.add (local.get $sxx) (f64.mul (local.get $a) (local.get $a))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $fit)))
                (f64.store (i32.add (local.get $slopes) (i32.shl (local.get $runs) (i32.const 3)))
                  (if (result f64) (f64.gt (local.get $sxx) (f64.const 0)) (then (f64.div (local.get $sxy) (local.get $sxx))) (else (f64.const 0))))
                (f64.store (i32.add (local.get $ranges) (i32.shl (local.get $runs) (i32.const 3))) (f64.sub (local.get $hi) (local.get $lo)))
                (local.set $runs (i32.add (local.get $runs) (i32.const 1)))))
            (local.set $start (i32.const -1))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames)))
    (local.set $k (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $k) (local.get $runs)))
        (local.set $abs (f64.add (local.get $abs) (f64.abs (f64.load (i32.add (local.get $slopes) (i32.shl (local.get $k) (i32.const 3)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each)))
    (f64.store offset=8 (local.get $out) (call $meanOf (local.get $slopes) (local.get $runs)))
    (f64.store offset=16 (local.get $out) (if (result f64) (local.get $runs) (then (f64.div (local.get $abs) (f64.convert_i32_s (local.get $runs)))) (else (f64.const 0))))
    (f64.store offset=24 (local.get $out) (call $meanOf (local.get $ranges) (local.get $runs)))
    (f64.store offset=32 (local.get $out)
      (if (result f64) (local.get $runs) (then (f64.load (i32.add (local.get $slopes) (i32.shl (i32.sub (local.get $runs) (i32.const 1)) (i32.const 3))))) (else (f64.const 0)))))

  ;; modulation.ts modulationPower(): the envelope (f64 at $env, $count > 0 frames) floored at $floor (f64.max, as
  ;; Math.max) and centred on its mean, in blocks of 2n frames (the last zero-padded), each through $spectrum (the
  ;; real transform of 2n points and re*re + im*im per bin to $pt; cos and sin at $cs, $sn; f32 scratch at $pw,
  ;; $mg), bins 0...n-1 summed over the blocks into the f64 at $power. The same operations in the same order as
  ;; the JavaScript with RealFFT.forward (modulation.test's reference).
  (func (export "modulationPower") (param $n i32) (param $radix2 i32) (param $tw i32) (param $in i32) (param $base i32)
    (param $env i32) (param $count i32) (param $floor f64) (param $cs i32) (param $sn i32) (param $pw i32) (param $mg i32)
    (param $pt i32) (param $power i32)
    (local $t i32) (local $i i32) (local $k i32) (local $start i32) (local $m f64) (local $v f64) (local $a i32)
    (block $done
      (loop $sum
        (br_if $done (i32.ge_s (local.get $t) (local.get $count)))
        (local.set $m (f64.add (local.get $m) (f64.max (f64.load (i32.add (local.get $env) (i32.shl (local.get $t) (i32.const 3)))) (local.get $floor))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $sum)))
    (local.set $m (f64.div (local.get $m) (f64.convert_i32_s (local.get $count))))
    (local.set $k (i32.const 0))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_s (local.get $k) (local.get $n)))
        (f64.store (i32.add (local.get $power) (i32.shl (local.get $k) (i32.const 3))) (f64.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $zero)))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_s (local.get $start) (local.get $count)))
        (local.set $i (i32.const 0))
        (block $filled
          (loop $fill
            (br_if $filled (i32.ge_s (local.get $i) (i32.shl (local.get $n) (i32.const 1))))
            (local.set $t (i32.add (local.get $start) (local.get $i)))
            (local.set $v (f64.const 0))
            (if (i32.lt_s (local.get $t) (local.get $count))
              (then (local.set $v (f64.sub (f64.max (f64.load (i32.add (local.get $env) (i32.shl (local.get $t) (i32.const 3)))) (local.get $floor)) (local.get $m)))))
            (f64.store (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $fill)))
        (drop (call $spectrum (local.get $n) (local.get $radix2) (local.get $tw) (local.get $in) (local.get $base)
          (i32.const -1) (i32.const 0) (local.get $cs) (local.get $sn) (local.get $pw) (local.get $mg) (local.get $pt)))
        (local.set $k (i32.const 0))
        (block $added
          (loop $add
            (br_if $added (i32.ge_s (local.get $k) (local.get $n)))
            (local.set $a (i32.add (local.get $power) (i32.shl (local.get $k) (i32.const 3))))
            (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.load (i32.add (local.get $pt) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $add)))
        (local.set $start (i32.add (local.get $start) (i32.shl (local.get $n) (i32.const 1))))
        (br $blocks))))

  ;; value-stats.ts det3: a(ei - fh) - b(di - fg) + c(dh - eg).
  (func $det3 (param $a f64) (param $b f64) (param $c f64) (param $d f64) (param $e f64) (param $f f64) (param $g f64) (param $h f64) (param $i f64) (result f64)
    (f64.add
      (f64.sub
        (f64.mul (local.get $a) (f64.sub (f64.mul (local.get $e) (local.get $i)) (f64.mul (local.get $f) (local.get $h))))
        (f64.mul (local.get $b) (f64.sub (f64.mul (local.get $d) (local.get $i)) (f64.mul (local.get $f) (local.get $g)))))
      (f64.mul (local.get $c) (f64.sub (f64.mul (local.get $d) (local.get $h)) (f64.mul (local.get $e) (local.get $g))))))

  ;; pitch-shape.ts pitchShape()'s curve and correlation: the voiced frames of F0 (f32 at $f0, not 0) gathered as
  ;; frame index (f64 at $us), F0 (f64 at $vs) and level (f64 at $lv from f32 at $level); with >= 5 of them the
  ;; parabola (value-stats.ts parabola, Cramer's rule) through F0 over the index scaled to -1...1 (at $us, in
  ;; place): its curvature to the f64 at $out and the RMS residual at $out + 8 (else 0, 0); the
  ;; correlation of F0 with the level (Pearson's; 0 under three frames or without spread) at $out + 16. Returns how many were voiced. The same operations in the same
  ;; order as the JavaScript (pitch-shape.test's reference).
  (func (export "pitchCurve") (param $f0 i32) (param $level i32) (param $frames i32) (param $us i32) (param $vs i32) (param $lv i32) (param $out i32) (result i32)
    (local $t i32) (local $n i32) (local $i i32) (local $o i32) (local $v f32)
    (local $t0 f64) (local $t1 f64) (local $x f64) (local $x2 f64) (local $y f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $s4 f64) (local $q0 f64) (local $q1 f64) (local $q2 f64)
    (local $det f64) (local $c0 f64) (local $c1 f64) (local $c2 f64) (local $r f64) (local $d f64)
    (local $ma f64) (local $mb f64) (local $da f64) (local $db f64) (local $sab f64) (local $saa f64) (local $sbb f64)
    (block $done
      (loop $frames
        (br_if $done (i32.ge_s (local.get $t) (local.get $frames)))
        (local.set $v (f32.load (i32.add (local.get $f0) (i32.shl (local.get $t) (i32.const 2)))))
        (if (f32.ne (local.get $v) (f32.const 0))
          (then
            (local.set $o (i32.shl (local.get $n) (i32.const 3)))
            (f64.store (i32.add (local.get $us) (local.get $o)) (f64.convert_i32_s (local.get $t)))
            (f64.store (i32.add (local.get $vs) (local.get $o)) (f64.promote_f32 (local.get $v)))
            (f64.store (i32.add (local.get $lv) (local.get $o)) (f64.promote_f32 (f32.load (i32.add (local.get $level) (i32.shl (local.get $t) (i32.const 2))))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $frames)))
    (f64.store (local.get $out) (f64.const 0))
    (f64.store offset=8 (local.get $out) (f64.const 0))
    (if (i32.ge_s (local.get $n) (i32.const 5))
      (then
        (local.set $t0 (f64.load (local.get $us)))
        (local.set $t1 (f64.load (i32.add (local.get $us) (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 3)))))
        (local.set $i (i32.const 0))
        (block $scaled
          (loop $scale
            (br_if $scaled (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $o (i32.add (local.get $us) (i32.shl (local.get $i) (i32.const 3))))
            (f64.store (local.get $o)
              (if (result f64) (f64.gt (local.get $t1) (local.get $t0))
                (then (f64.sub (f64.div (f64.mul (f64.const 2) (f64.sub (f64.load (local.get $o)) (local.get $t0))) (f64.sub (local.get $t1) (local.get $t0))) (f64.const 1)))
                (else (f64.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $scale)))
        ;; parabola(us, vs, n)
        (local.set $i (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $x (f64.load (i32.add (local.get $us) (local.get $o))))
            (local.set $y (f64.load (i32.add (local.get $vs) (local.get $o))))
            (local.set $x2 (f64.mul (local.get $x) (local.get $x)))
            (local.set $s0 (f64.add (local.get $s0) (f64.const 1)))
            (local.set $s1 (f64.add (local.get $s1) (local.get $x)))
            (local.set $s2 (f64.add (local.get $s2) (local.get $x2)))
            (local.set $s3 (f64.add (local.get $s3) (f64.mul (local.get $x2) (local.get $x))))
            (local.set $s4 (f64.add (local.get $s4) (f64.mul (local.get $x2) (local.get $x2))))
            (local.set $q0 (f64.add (local.get $q0) (local.get $y)))
            (local.set $q1 (f64.add (local.get $q1) (f64.mul (local.get $y) (local.get $x))))
            (local.set $q2 (f64.add (local.get $q2) (f64.mul (local.get $y) (local.get $x2))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sum)))
        (local.set $det (call $det3 (local.get $s0) (local.get $s1) (local.get $s2) (local.get $s1) (local.get $s2) (local.get $s3) (local.get $s2) (local.get $s3) (local.get $s4)))
        (if (f64.lt (f64.abs (local.get $det)) (f64.const 1e-9))
          (then
            (local.set $c0 (call $meanOf (local.get $vs) (local.get $n)))
            (local.set $c1 (f64.const 0))
            (local.set $c2 (f64.const 0)))
          (else
            (local.set $c0 (f64.div (call $det3 (local.get $q0) (local.get $s1) (local.get $s2) (local.get $q1) (local.get $s2) (local.get $s3) (local.get $q2) (local.get $s3) (local.get $s4)) (local.get $det)))
            (local.set $c1 (f64.div (call $det3 (local.get $s0) (local.get $q0) (local.get $s2) (local.get $s1) (local.get $q1) (local.get $s3) (local.get $s2) (local.get $q2) (local.get $s4)) (local.get $det)))
            (local.set $c2 (f64.div (call $det3 (local.get $s0) (local.get $s1) (local.get $q0) (local.get $s1) (local.get $s2) (local.get $q1) (local.get $s2) (local.get $s3) (local.get $q2)) (local.get $det)))))
        ;; the residual: r += (vs[i] - (c0 + c1 u + c2 u u))^2
        (local.set $i (i32.const 0))
        (block $resid
          (loop $res
            (br_if $resid (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $x (f64.load (i32.add (local.get $us) (local.get $o))))
            (local.set $d (f64.sub (f64.load (i32.add (local.get $vs) (local.get $o)))
              (f64.add (f64.add (local.get $c0) (f64.mul (local.get $c1) (local.get $x))) (f64.mul (f64.mul (local.get $c2) (local.get $x)) (local.get $x)))))
            (local.set $r (f64.add (local.get $r) (f64.mul (local.get $d) (local.get $d))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $res)))
        (f64.store (local.get $out) (local.get $c2))
        (f64.store offset=8 (local.get $out) (f64.sqrt (f64.div (local.get $r) (f64.convert_i32_s (local.get $n)))))))
    ;; the correlation of vs and lv over n
    (f64.store offset=16 (local.get $out) (f64.const 0))
    (if (i32.ge_s (local.get $n) (i32.const 3))
      (then
        (local.set $ma (call $meanOf (local.get $vs) (local.get $n)))
        (local.set $mb (call $meanOf (local.get $lv) (local.get $n)))
        (local.set $i (i32.const 0))
        (block $corr
          (loop $each
            (br_if $corr (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $da (f64.sub (f64.load (i32.add (local.get $vs) (local.get $o))) (local.get $ma)))
            (local.set $db (f64.sub (f64.load (i32.add (local.get $lv) (local.get $o))) (local.get $mb)))
            (local.set $sab (f64.add (local.get $sab) (f64.mul (local.get $da) (local.get $db))))
            (local.set $saa (f64.add (local.get $saa) (f64.mul (local.get $da) (local.get $da))))
            (local.set $sbb (f64.add (local.get $sbb) (f64.mul (local.get $db) (local.get $db))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $each)))
        (if (i32.and (f64.gt (local.get $saa) (f64.const 0)) (f64.gt (local.get $sbb) (f64.const 0)))
          (then (f64.store offset=16 (local.get $out) (f64.div (local.get $sab) (f64.sqrt (f64.mul (local.get $saa) (local.get $sbb)))))))))
    (local.get $n))

  ;; The frame mixture (frame-mixture.ts): each of n frames (D float64 at $x + i·D·8) against k diagonal Gaussians —
  ;; means and precisions transposed, [d·k + j], and constants[j] — as posteriors() there computes them: log[j] =
  ;; constant[j] − ½ Σ_d (x_d − μ_jd)²·λ_jd (d ascending; two Gaussians per SIMD step, each lane in that order), the
  ;; posteriors exp(log[j] − max) / their sum (the exact port of Math.exp), added into sums[j], and each frame times
  ;; its posterior added into weighted[j·D + d] (frames in order). $log is k float64 of scratch.
  (func (export "frameMixture") (param $x i32) (param $n i32) (param $D i32) (param $k i32) (param $meanT i32) (param $precT i32)
    (param $constant i32) (param $log i32) (param $sums i32) (param $weighted i32)
    (local $i i32) (local $j i32) (local $d i32) (local $xi i32) (local $at i32) (local $q v128) (local $e v128) (local $qs f64) (local $es f64)
    (local $best f64) (local $z f64) (local $v f64) (local $g v128) (local $w i32) (local $kBytes i32)
    (local.set $kBytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone
      (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $xi (i32.add (local.get $x) (i32.shl (i32.mul (local.get $i) (local.get $D)) (i32.const 3))))
        ;; log-densities, two Gaussians at a time
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $k)))
            (local.set $q (f64x2.splat (f64.const 0)))
            (local.set $at (i32.shl (local.get $j) (i32.const 3)))
            (local.set $d (i32.const 0))
            (block $ddone
              (loop $dl
                (br_if $ddone (i32.ge_u (local.get $d) (local.get $D)))
                (local.set $e (f64x2.sub (v128.load64_splat (i32.add (local.get $xi) (i32.shl (local.get $d) (i32.const 3))))
                  (v128.load (i32.add (local.get $meanT) (local.get $at)))))
                (local.set $q (f64x2.add (local.get $q) (f64x2.mul (f64x2.mul (local.get $e) (local.get $e)) (v128.load (i32.add (local.get $precT) (local.get $at))))))
                (local.set $at (i32.add (local.get $at) (local.get $kBytes)))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (br $dl)))
            (v128.store (i32.add (local.get $log) (i32.shl (local.get $j) (i32.const 3)))
              (f64x2.sub (v128.load (i32.add (local.get $constant) (i32.shl (local.get $j) (i32.const 3)))) (f64x2.mul (f64x2.splat (f64.const 0.5)) (local.get $q))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl)))
        (if (i32.lt_u (local.get $j) (local.get $k))
          (then
            (local.set $qs (f64.const 0))
            (local.set $at (i32.shl (local.get $j) (i32.const 3)))
            (local.set $d (i32.const 0))
            (block $d1done
              (loop $d1
                (br_if $d1done (i32.ge_u (local.get $d) (local.get $D)))
                (local.set $es (f64.sub (f64.load (i32.add (local.get $xi) (i32.shl (local.get $d) (i32.const 3)))) (f64.load (i32.add (local.get $meanT) (local.get $at)))))
                (local.set $qs (f64.add (local.get $qs) (f64.mul (f64.mul (local.get $es) (local.get $es)) (f64.load (i32.add (local.get $precT) (local.get $at))))))
                (local.set $at (i32.add (local.get $at) (local.get $kBytes)))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (br $d1)))
            (f64.store (i32.add (local.get $log) (i32.shl (local.get $j) (i32.const 3)))
              (f64.sub (f64.load (i32.add (local.get $constant) (i32.shl (local.get $j) (i32.const 3)))) (f64.mul (f64.const 0.5) (local.get $qs))))))
        ;; the largest, then the posteriors and their sum
        (local.set $best (f64.const -inf))
        (local.set $j (i32.const 0))
        (block $mdone
          (loop $ml
            (br_if $mdone (i32.ge_u (local.get $j) (local.get $k)))
            (local.set $v (f64.load (i32.add (local.get $log) (i32.shl (local.get $j) (i32.const 3)))))
            (if (f64.gt (local.get $v) (local.get $best)) (then (local.set $best (local.get $v))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $ml)))
        (local.set $z (f64.const 0))
        (local.set $j (i32.const 0))
        (block $xdone
          (loop $xl
            (br_if $xdone (i32.ge_u (local.get $j) (local.get $k)))
            (local.set $at (i32.add (local.get $log) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $v (call $exp (f64.sub (f64.load (local.get $at)) (local.get $best))))
            (f64.store (local.get $at) (local.get $v))
            (local.set $z (f64.add (local.get $z) (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $xl)))
        (local.set $j (i32.const 0))
        (block $pdone
          (loop $pl
            (br_if $pdone (i32.ge_u (local.get $j) (local.get $k)))
            (local.set $at (i32.add (local.get $log) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $v (f64.div (f64.load (local.get $at)) (local.get $z)))
            (f64.store (local.get $at) (local.get $v))
            (local.set $at (i32.add (local.get $sums) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $v)))
            ;; the frame, weighted by its posterior, into the Gaussian's sum (a zero posterior adds nothing)
            (if (f64.ne (local.get $v) (f64.const 0))
              (then
                (local.set $g (f64x2.splat (local.get $v)))
                (local.set $w (i32.add (local.get $weighted) (i32.shl (i32.mul (local.get $j) (local.get $D)) (i32.const 3))))
                (local.set $d (i32.const 0))
                (block $wdone
                  (loop $wl
                    (br_if $wdone (i32.ge_u (i32.add (local.get $d) (i32.const 1)) (local.get $D)))
                    (v128.store (local.get $w) (f64x2.add (v128.load (local.get $w))
                      (f64x2.mul (local.get $g) (v128.load (i32.add (local.get $xi) (i32.shl (local.get $d) (i32.const 3)))))))
                    (local.set $w (i32.add (local.get $w) (i32.const 16)))
                    (local.set $d (i32.add (local.get $d) (i32.const 2)))
                    (br $wl)))
                (if (i32.lt_u (local.get $d) (local.get $D))
                  (then (f64.store (local.get $w) (f64.add (f64.load (local.get $w))
                    (f64.mul (local.get $v) (f64.load (i32.add (local.get $xi) (i32.shl (local.get $d) (i32.const 3)))))))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $pl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))
)
