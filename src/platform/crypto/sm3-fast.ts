/*
 * SM3 (GB/T 32905) and HMAC-SM3 in plain TypeScript. Exists because Node's OpenSSL binding costs an
 * object per call (createHmac('sm3') ≈ 60k/s, hash.copy() ≈ 54k/s) while field crypto needs ≥ 100k
 * fields/s; here an HMAC key keeps its padded inner/outer states, so a short MAC is 3 compressions.
 * Cross-checked against the standard vectors and OpenSSL in tests and in selfTestNationalCrypto().
 */

const BLOCK = 64;
const DIGEST = 32;

const IV = Int32Array.from([0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e]);

// Scratch shared by every call. All functions here are synchronous, so nothing can interleave.
const V = new Int32Array(8);
const TAIL = new Uint8Array(2 * BLOCK);
// HMAC's outer hash always covers 96 bytes (the key block, then the 32-byte inner digest), so its one
// final block is fixed apart from the digest: bytes 32… hold 0x80, zeros, and the bit length 768.
const OUTER_BLOCK = new Uint8Array(BLOCK);
OUTER_BLOCK[DIGEST] = 0x80;
OUTER_BLOCK[BLOCK - 2] = (((BLOCK + DIGEST) * 8) >>> 8) & 0xff;
OUTER_BLOCK[BLOCK - 1] = ((BLOCK + DIGEST) * 8) & 0xff;

/*
 * One compression, v ← CF(v, b[off … off+63]), written out straight-line: on V8 this is about 40%
 * faster than the same steps in loops over 68- and 64-word scratch arrays, because the message words
 * live in locals (no typed-array traffic or bounds checks) and every T_j <<< (j mod 32) is a literal.
 * It is the standard's text, mechanically unrolled:
 *   W0…W15 are the block's big-endian words; Wj = P1(Wj-16 ⊕ Wj-9 ⊕ Wj-3<<<15) ⊕ Wj-13<<<7 ⊕ Wj-6,
 *   with P1(x) = x ⊕ x<<<15 ⊕ x<<<23; W′j = Wj ⊕ Wj+4 appears inline as (wj ^ wj+4).
 *   Round j: SS1 = ((A<<<12) + E + Tj<<<j)<<<7, SS2 = SS1 ⊕ A<<<12, TT1 = FFj(A,B,C) + D + SS2 + W′j,
 *   TT2 = GGj(E,F,G) + H + SS1 + Wj; then D ← TT1, B ← B<<<9, F ← F<<<19, H ← P0(TT2) with
 *   P0(x) = x ⊕ x<<<9 ⊕ x<<<17, and the registers are renamed rather than shifted: round j+1 reads
 *   (A,B,C,D,E,F,G,H) from the variables round j called (D,A,B,C,H,E,F,G).
 *   Tj = 0x79cc4519 for j < 16, 0x7a879d8a after; the literals below are Tj <<< (j mod 32).
 * Rotations are spelled out rather than calls to a rotl() helper: in a body this large V8 runs out of
 * inlining budget and the calls made it seven times slower. Any slip here changes every digest, so the
 * vectors and the OpenSSL cross-checks (tests and selfTestNationalCrypto()) would all fail.
 */
function compress(v: Int32Array, b: Uint8Array, off: number): void {
  const w0 = (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
  const w1 = (b[off + 4]! << 24) | (b[off + 5]! << 16) | (b[off + 6]! << 8) | b[off + 7]!;
  const w2 = (b[off + 8]! << 24) | (b[off + 9]! << 16) | (b[off + 10]! << 8) | b[off + 11]!;
  const w3 = (b[off + 12]! << 24) | (b[off + 13]! << 16) | (b[off + 14]! << 8) | b[off + 15]!;
  const w4 = (b[off + 16]! << 24) | (b[off + 17]! << 16) | (b[off + 18]! << 8) | b[off + 19]!;
  const w5 = (b[off + 20]! << 24) | (b[off + 21]! << 16) | (b[off + 22]! << 8) | b[off + 23]!;
  const w6 = (b[off + 24]! << 24) | (b[off + 25]! << 16) | (b[off + 26]! << 8) | b[off + 27]!;
  const w7 = (b[off + 28]! << 24) | (b[off + 29]! << 16) | (b[off + 30]! << 8) | b[off + 31]!;
  const w8 = (b[off + 32]! << 24) | (b[off + 33]! << 16) | (b[off + 34]! << 8) | b[off + 35]!;
  const w9 = (b[off + 36]! << 24) | (b[off + 37]! << 16) | (b[off + 38]! << 8) | b[off + 39]!;
  const w10 = (b[off + 40]! << 24) | (b[off + 41]! << 16) | (b[off + 42]! << 8) | b[off + 43]!;
  const w11 = (b[off + 44]! << 24) | (b[off + 45]! << 16) | (b[off + 46]! << 8) | b[off + 47]!;
  const w12 = (b[off + 48]! << 24) | (b[off + 49]! << 16) | (b[off + 50]! << 8) | b[off + 51]!;
  const w13 = (b[off + 52]! << 24) | (b[off + 53]! << 16) | (b[off + 54]! << 8) | b[off + 55]!;
  const w14 = (b[off + 56]! << 24) | (b[off + 57]! << 16) | (b[off + 58]! << 8) | b[off + 59]!;
  const w15 = (b[off + 60]! << 24) | (b[off + 61]! << 16) | (b[off + 62]! << 8) | b[off + 63]!;
  let x: number;
  x = w0 ^ w7 ^ ((w13 << 15) | (w13 >>> 17)); const w16 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w3 << 7) | (w3 >>> 25)) ^ w10;
  x = w1 ^ w8 ^ ((w14 << 15) | (w14 >>> 17)); const w17 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w4 << 7) | (w4 >>> 25)) ^ w11;
  x = w2 ^ w9 ^ ((w15 << 15) | (w15 >>> 17)); const w18 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w5 << 7) | (w5 >>> 25)) ^ w12;
  x = w3 ^ w10 ^ ((w16 << 15) | (w16 >>> 17)); const w19 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w6 << 7) | (w6 >>> 25)) ^ w13;
  x = w4 ^ w11 ^ ((w17 << 15) | (w17 >>> 17)); const w20 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w7 << 7) | (w7 >>> 25)) ^ w14;
  x = w5 ^ w12 ^ ((w18 << 15) | (w18 >>> 17)); const w21 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w8 << 7) | (w8 >>> 25)) ^ w15;
  x = w6 ^ w13 ^ ((w19 << 15) | (w19 >>> 17)); const w22 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w9 << 7) | (w9 >>> 25)) ^ w16;
  x = w7 ^ w14 ^ ((w20 << 15) | (w20 >>> 17)); const w23 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w10 << 7) | (w10 >>> 25)) ^ w17;
  x = w8 ^ w15 ^ ((w21 << 15) | (w21 >>> 17)); const w24 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w11 << 7) | (w11 >>> 25)) ^ w18;
  x = w9 ^ w16 ^ ((w22 << 15) | (w22 >>> 17)); const w25 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w12 << 7) | (w12 >>> 25)) ^ w19;
  x = w10 ^ w17 ^ ((w23 << 15) | (w23 >>> 17)); const w26 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w13 << 7) | (w13 >>> 25)) ^ w20;
  x = w11 ^ w18 ^ ((w24 << 15) | (w24 >>> 17)); const w27 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w14 << 7) | (w14 >>> 25)) ^ w21;
  x = w12 ^ w19 ^ ((w25 << 15) | (w25 >>> 17)); const w28 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w15 << 7) | (w15 >>> 25)) ^ w22;
  x = w13 ^ w20 ^ ((w26 << 15) | (w26 >>> 17)); const w29 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w16 << 7) | (w16 >>> 25)) ^ w23;
  x = w14 ^ w21 ^ ((w27 << 15) | (w27 >>> 17)); const w30 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w17 << 7) | (w17 >>> 25)) ^ w24;
  x = w15 ^ w22 ^ ((w28 << 15) | (w28 >>> 17)); const w31 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w18 << 7) | (w18 >>> 25)) ^ w25;
  x = w16 ^ w23 ^ ((w29 << 15) | (w29 >>> 17)); const w32 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w19 << 7) | (w19 >>> 25)) ^ w26;
  x = w17 ^ w24 ^ ((w30 << 15) | (w30 >>> 17)); const w33 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w20 << 7) | (w20 >>> 25)) ^ w27;
  x = w18 ^ w25 ^ ((w31 << 15) | (w31 >>> 17)); const w34 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w21 << 7) | (w21 >>> 25)) ^ w28;
  x = w19 ^ w26 ^ ((w32 << 15) | (w32 >>> 17)); const w35 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w22 << 7) | (w22 >>> 25)) ^ w29;
  x = w20 ^ w27 ^ ((w33 << 15) | (w33 >>> 17)); const w36 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w23 << 7) | (w23 >>> 25)) ^ w30;
  x = w21 ^ w28 ^ ((w34 << 15) | (w34 >>> 17)); const w37 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w24 << 7) | (w24 >>> 25)) ^ w31;
  x = w22 ^ w29 ^ ((w35 << 15) | (w35 >>> 17)); const w38 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w25 << 7) | (w25 >>> 25)) ^ w32;
  x = w23 ^ w30 ^ ((w36 << 15) | (w36 >>> 17)); const w39 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w26 << 7) | (w26 >>> 25)) ^ w33;
  x = w24 ^ w31 ^ ((w37 << 15) | (w37 >>> 17)); const w40 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w27 << 7) | (w27 >>> 25)) ^ w34;
  x = w25 ^ w32 ^ ((w38 << 15) | (w38 >>> 17)); const w41 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w28 << 7) | (w28 >>> 25)) ^ w35;
  x = w26 ^ w33 ^ ((w39 << 15) | (w39 >>> 17)); const w42 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w29 << 7) | (w29 >>> 25)) ^ w36;
  x = w27 ^ w34 ^ ((w40 << 15) | (w40 >>> 17)); const w43 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w30 << 7) | (w30 >>> 25)) ^ w37;
  x = w28 ^ w35 ^ ((w41 << 15) | (w41 >>> 17)); const w44 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w31 << 7) | (w31 >>> 25)) ^ w38;
  x = w29 ^ w36 ^ ((w42 << 15) | (w42 >>> 17)); const w45 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w32 << 7) | (w32 >>> 25)) ^ w39;
  x = w30 ^ w37 ^ ((w43 << 15) | (w43 >>> 17)); const w46 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w33 << 7) | (w33 >>> 25)) ^ w40;
  x = w31 ^ w38 ^ ((w44 << 15) | (w44 >>> 17)); const w47 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w34 << 7) | (w34 >>> 25)) ^ w41;
  x = w32 ^ w39 ^ ((w45 << 15) | (w45 >>> 17)); const w48 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w35 << 7) | (w35 >>> 25)) ^ w42;
  x = w33 ^ w40 ^ ((w46 << 15) | (w46 >>> 17)); const w49 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w36 << 7) | (w36 >>> 25)) ^ w43;
  x = w34 ^ w41 ^ ((w47 << 15) | (w47 >>> 17)); const w50 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w37 << 7) | (w37 >>> 25)) ^ w44;
  x = w35 ^ w42 ^ ((w48 << 15) | (w48 >>> 17)); const w51 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w38 << 7) | (w38 >>> 25)) ^ w45;
  x = w36 ^ w43 ^ ((w49 << 15) | (w49 >>> 17)); const w52 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w39 << 7) | (w39 >>> 25)) ^ w46;
  x = w37 ^ w44 ^ ((w50 << 15) | (w50 >>> 17)); const w53 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w40 << 7) | (w40 >>> 25)) ^ w47;
  x = w38 ^ w45 ^ ((w51 << 15) | (w51 >>> 17)); const w54 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w41 << 7) | (w41 >>> 25)) ^ w48;
  x = w39 ^ w46 ^ ((w52 << 15) | (w52 >>> 17)); const w55 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w42 << 7) | (w42 >>> 25)) ^ w49;
  x = w40 ^ w47 ^ ((w53 << 15) | (w53 >>> 17)); const w56 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w43 << 7) | (w43 >>> 25)) ^ w50;
  x = w41 ^ w48 ^ ((w54 << 15) | (w54 >>> 17)); const w57 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w44 << 7) | (w44 >>> 25)) ^ w51;
  x = w42 ^ w49 ^ ((w55 << 15) | (w55 >>> 17)); const w58 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w45 << 7) | (w45 >>> 25)) ^ w52;
  x = w43 ^ w50 ^ ((w56 << 15) | (w56 >>> 17)); const w59 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w46 << 7) | (w46 >>> 25)) ^ w53;
  x = w44 ^ w51 ^ ((w57 << 15) | (w57 >>> 17)); const w60 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w47 << 7) | (w47 >>> 25)) ^ w54;
  x = w45 ^ w52 ^ ((w58 << 15) | (w58 >>> 17)); const w61 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w48 << 7) | (w48 >>> 25)) ^ w55;
  x = w46 ^ w53 ^ ((w59 << 15) | (w59 >>> 17)); const w62 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w49 << 7) | (w49 >>> 25)) ^ w56;
  x = w47 ^ w54 ^ ((w60 << 15) | (w60 >>> 17)); const w63 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w50 << 7) | (w50 >>> 25)) ^ w57;
  x = w48 ^ w55 ^ ((w61 << 15) | (w61 >>> 17)); const w64 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w51 << 7) | (w51 >>> 25)) ^ w58;
  x = w49 ^ w56 ^ ((w62 << 15) | (w62 >>> 17)); const w65 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w52 << 7) | (w52 >>> 25)) ^ w59;
  x = w50 ^ w57 ^ ((w63 << 15) | (w63 >>> 17)); const w66 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w53 << 7) | (w53 >>> 25)) ^ w60;
  x = w51 ^ w58 ^ ((w64 << 15) | (w64 >>> 17)); const w67 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w54 << 7) | (w54 >>> 25)) ^ w61;

  let a = v[0]!, b_ = v[1]!, c = v[2]!, d = v[3]!, e = v[4]!, f = v[5]!, g = v[6]!, h = v[7]!;
  let a12: number, ss1: number, tt2: number;
  // Rounds 0–15: FF = GG = x ⊕ y ⊕ z.
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x79cc4519) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 0
  tt2 = ((e ^ f ^ g) + h + ss1 + w0) | 0; d = ((a ^ b_ ^ c) + d + (ss1 ^ a12) + (w0 ^ w4)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0xf3988a32) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 1
  tt2 = ((h ^ e ^ f) + g + ss1 + w1) | 0; c = ((d ^ a ^ b_) + c + (ss1 ^ a12) + (w1 ^ w5)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0xe7311465) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 2
  tt2 = ((g ^ h ^ e) + f + ss1 + w2) | 0; b_ = ((c ^ d ^ a) + b_ + (ss1 ^ a12) + (w2 ^ w6)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xce6228cb) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 3
  tt2 = ((f ^ g ^ h) + e + ss1 + w3) | 0; a = ((b_ ^ c ^ d) + a + (ss1 ^ a12) + (w3 ^ w7)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x9cc45197) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 4
  tt2 = ((e ^ f ^ g) + h + ss1 + w4) | 0; d = ((a ^ b_ ^ c) + d + (ss1 ^ a12) + (w4 ^ w8)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x3988a32f) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 5
  tt2 = ((h ^ e ^ f) + g + ss1 + w5) | 0; c = ((d ^ a ^ b_) + c + (ss1 ^ a12) + (w5 ^ w9)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x7311465e) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 6
  tt2 = ((g ^ h ^ e) + f + ss1 + w6) | 0; b_ = ((c ^ d ^ a) + b_ + (ss1 ^ a12) + (w6 ^ w10)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xe6228cbc) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 7
  tt2 = ((f ^ g ^ h) + e + ss1 + w7) | 0; a = ((b_ ^ c ^ d) + a + (ss1 ^ a12) + (w7 ^ w11)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0xcc451979) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 8
  tt2 = ((e ^ f ^ g) + h + ss1 + w8) | 0; d = ((a ^ b_ ^ c) + d + (ss1 ^ a12) + (w8 ^ w12)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x988a32f3) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 9
  tt2 = ((h ^ e ^ f) + g + ss1 + w9) | 0; c = ((d ^ a ^ b_) + c + (ss1 ^ a12) + (w9 ^ w13)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x311465e7) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 10
  tt2 = ((g ^ h ^ e) + f + ss1 + w10) | 0; b_ = ((c ^ d ^ a) + b_ + (ss1 ^ a12) + (w10 ^ w14)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x6228cbce) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 11
  tt2 = ((f ^ g ^ h) + e + ss1 + w11) | 0; a = ((b_ ^ c ^ d) + a + (ss1 ^ a12) + (w11 ^ w15)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0xc451979c) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 12
  tt2 = ((e ^ f ^ g) + h + ss1 + w12) | 0; d = ((a ^ b_ ^ c) + d + (ss1 ^ a12) + (w12 ^ w16)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x88a32f39) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 13
  tt2 = ((h ^ e ^ f) + g + ss1 + w13) | 0; c = ((d ^ a ^ b_) + c + (ss1 ^ a12) + (w13 ^ w17)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x11465e73) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 14
  tt2 = ((g ^ h ^ e) + f + ss1 + w14) | 0; b_ = ((c ^ d ^ a) + b_ + (ss1 ^ a12) + (w14 ^ w18)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x228cbce6) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 15
  tt2 = ((f ^ g ^ h) + e + ss1 + w15) | 0; a = ((b_ ^ c ^ d) + a + (ss1 ^ a12) + (w15 ^ w19)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  // Rounds 16–63: FF(x,y,z) = (x ∧ y) ∨ (z ∧ (x ∨ y)), GG(x,y,z) = z ⊕ (x ∧ (y ⊕ z)).
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x9d8a7a87) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 16
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w16) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w16 ^ w20)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x3b14f50f) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 17
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w17) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w17 ^ w21)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x7629ea1e) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 18
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w18) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w18 ^ w22)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xec53d43c) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 19
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w19) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w19 ^ w23)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0xd8a7a879) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 20
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w20) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w20 ^ w24)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0xb14f50f3) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 21
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w21) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w21 ^ w25)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x629ea1e7) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 22
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w22) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w22 ^ w26)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xc53d43ce) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 23
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w23) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w23 ^ w27)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x8a7a879d) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 24
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w24) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w24 ^ w28)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x14f50f3b) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 25
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w25) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w25 ^ w29)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x29ea1e76) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 26
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w26) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w26 ^ w30)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x53d43cec) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 27
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w27) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w27 ^ w31)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0xa7a879d8) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 28
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w28) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w28 ^ w32)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x4f50f3b1) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 29
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w29) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w29 ^ w33)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x9ea1e762) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 30
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w30) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w30 ^ w34)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x3d43cec5) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 31
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w31) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w31 ^ w35)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x7a879d8a) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 32
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w32) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w32 ^ w36)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0xf50f3b14) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 33
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w33) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w33 ^ w37)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0xea1e7629) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 34
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w34) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w34 ^ w38)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xd43cec53) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 35
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w35) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w35 ^ w39)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0xa879d8a7) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 36
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w36) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w36 ^ w40)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x50f3b14f) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 37
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w37) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w37 ^ w41)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0xa1e7629e) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 38
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w38) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w38 ^ w42)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x43cec53d) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 39
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w39) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w39 ^ w43)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x879d8a7a) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 40
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w40) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w40 ^ w44)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x0f3b14f5) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 41
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w41) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w41 ^ w45)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x1e7629ea) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 42
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w42) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w42 ^ w46)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x3cec53d4) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 43
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w43) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w43 ^ w47)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x79d8a7a8) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 44
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w44) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w44 ^ w48)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0xf3b14f50) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 45
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w45) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w45 ^ w49)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0xe7629ea1) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 46
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w46) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w46 ^ w50)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xcec53d43) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 47
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w47) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w47 ^ w51)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x9d8a7a87) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 48
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w48) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w48 ^ w52)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x3b14f50f) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 49
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w49) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w49 ^ w53)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x7629ea1e) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 50
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w50) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w50 ^ w54)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xec53d43c) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 51
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w51) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w51 ^ w55)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0xd8a7a879) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 52
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w52) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w52 ^ w56)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0xb14f50f3) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 53
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w53) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w53 ^ w57)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x629ea1e7) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 54
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w54) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w54 ^ w58)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0xc53d43ce) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 55
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w55) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w55 ^ w59)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0x8a7a879d) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 56
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w56) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w56 ^ w60)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x14f50f3b) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 57
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w57) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w57 ^ w61)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x29ea1e76) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 58
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w58) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w58 ^ w62)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x53d43cec) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 59
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w59) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w59 ^ w63)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + 0xa7a879d8) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 60
  tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + w60) | 0; d = (((a & b_) | (c & (a | b_))) + d + (ss1 ^ a12) + (w60 ^ w64)) | 0;
  b_ = ((b_ << 9) | (b_ >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + 0x4f50f3b1) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 61
  tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + w61) | 0; c = (((d & a) | (b_ & (d | a))) + c + (ss1 ^ a12) + (w61 ^ w65)) | 0;
  a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + 0x9ea1e762) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 62
  tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + w62) | 0; b_ = (((c & d) | (a & (c | d))) + b_ + (ss1 ^ a12) + (w62 ^ w66)) | 0;
  d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  a12 = ((b_ << 12) | (b_ >>> 20)); ss1 = (a12 + f + 0x3d43cec5) | 0; ss1 = ((ss1 << 7) | (ss1 >>> 25)); // round 63
  tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + w63) | 0; a = (((b_ & c) | (d & (b_ | c))) + a + (ss1 ^ a12) + (w63 ^ w67)) | 0;
  c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

  v[0]! ^= a; v[1]! ^= b_; v[2]! ^= c; v[3]! ^= d; v[4]! ^= e; v[5]! ^= f; v[6]! ^= g; v[7]! ^= h;
}

/**
 * Finishes a hash that started from `init` after `priorBytes` (a multiple of 64) had already been
 * compressed into it, over data[0 … n-1], writing the 32-byte digest to out[outOff …].
 */
function finish(init: Int32Array, priorBytes: number, data: Uint8Array, n: number, out: Uint8Array, outOff: number): void {
  const v = V;
  for (let i = 0; i < 8; i++) v[i] = init[i]!;
  let off = 0;
  for (; off + BLOCK <= n; off += BLOCK) compress(v, data, off);
  const rem = n - off;
  const tail = TAIL;
  for (let i = 0; i < rem; i++) tail[i] = data[off + i]!;
  tail[rem] = 0x80;
  const tailLen = rem < BLOCK - 8 ? BLOCK : 2 * BLOCK;
  for (let i = rem + 1; i < tailLen - 8; i++) tail[i] = 0;
  const bits = (priorBytes + n) * 8; // exact below 2^53
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  tail[tailLen - 8] = hi >>> 24;
  tail[tailLen - 7] = hi >>> 16;
  tail[tailLen - 6] = hi >>> 8;
  tail[tailLen - 5] = hi;
  tail[tailLen - 4] = lo >>> 24;
  tail[tailLen - 3] = lo >>> 16;
  tail[tailLen - 2] = lo >>> 8;
  tail[tailLen - 1] = lo;
  compress(v, tail, 0);
  if (tailLen > BLOCK) compress(v, tail, BLOCK);
  writeDigest(v, out, outOff);
}

function writeDigest(v: Int32Array, out: Uint8Array, outOff: number): void {
  for (let i = 0; i < 8; i++, outOff += 4) {
    const x = v[i]!;
    out[outOff] = x >>> 24;
    out[outOff + 1] = x >>> 16;
    out[outOff + 2] = x >>> 8;
    out[outOff + 3] = x;
  }
}

export function sm3Fast(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(DIGEST);
  finish(IV, 0, data, data.length, out, 0);
  return out;
}

/** HMAC-SM3 (RFC 2104, 64-byte blocks) with the key's inner and outer states computed once. */
export class HmacSm3Key {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);

  constructor(key: Uint8Array) {
    const padded = new Uint8Array(BLOCK);
    padded.set(key.length > BLOCK ? sm3Fast(key) : key);
    const block = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) block[i] = padded[i]! ^ 0x36;
    this.#inner.set(IV);
    compress(this.#inner, block, 0);
    for (let i = 0; i < BLOCK; i++) block[i] = padded[i]! ^ 0x5c;
    this.#outer.set(IV);
    compress(this.#outer, block, 0);
    padded.fill(0);
    block.fill(0);
  }

  mac(message: Uint8Array): Uint8Array {
    const out = new Uint8Array(DIGEST);
    this.macInto(message, out, 0);
    return out;
  }

  /**
   * MAC of message[0 … length-1], written to out[outOff … outOff+31]. The message is read in full
   * before anything is written, so out may be the message's own buffer.
   */
  macInto(message: Uint8Array, out: Uint8Array, outOff: number, length: number = message.length): void {
    if (length < 0 || length > message.length) throw new RangeError('HMAC-SM3 message length out of range');
    if (outOff < 0 || outOff + DIGEST > out.length) throw new RangeError('HMAC-SM3 output too short');
    finish(this.#inner, BLOCK, message, length, OUTER_BLOCK, 0);
    const v = V;
    const outer = this.#outer;
    for (let i = 0; i < 8; i++) v[i] = outer[i]!;
    compress(v, OUTER_BLOCK, 0);
    writeDigest(v, out, outOff);
  }
}
