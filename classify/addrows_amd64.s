//go:build !purego

#include "textflag.h"

// func addRows4SSE2(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)
//
// Two labels at a time (SSE2, every amd64 has it): for each, the same
// multiplications and additions, in the same order and with the same
// rounding, as the loop of addRows4Go.
TEXT ·addRows4SSE2(SB), NOSPLIT, $0-152
	MOVQ    dec_base+0(FP), DI
	MOVQ    dec_len+8(FP), CX
	MOVQ    w0_base+24(FP), R8
	MOVQ    w1_base+48(FP), R9
	MOVQ    w2_base+72(FP), R10
	MOVQ    w3_base+96(FP), R11
	MOVSD   v0+120(FP), X4
	UNPCKLPD X4, X4
	MOVSD   v1+128(FP), X5
	UNPCKLPD X5, X5
	MOVSD   v2+136(FP), X6
	UNPCKLPD X6, X6
	MOVSD   v3+144(FP), X7
	UNPCKLPD X7, X7
	XORQ    AX, AX
	MOVQ    CX, DX
	ANDQ    $-2, DX // labels in pairs

pairs:
	CMPQ     AX, DX
	JGE      last
	MOVUPD   (DI)(AX*8), X0
	CVTPS2PD (R8)(AX*4), X1
	MULPD    X4, X1
	ADDPD    X1, X0
	CVTPS2PD (R9)(AX*4), X1
	MULPD    X5, X1
	ADDPD    X1, X0
	CVTPS2PD (R10)(AX*4), X1
	MULPD    X6, X1
	ADDPD    X1, X0
	CVTPS2PD (R11)(AX*4), X1
	MULPD    X7, X1
	ADDPD    X1, X0
	MOVUPD   X0, (DI)(AX*8)
	ADDQ     $2, AX
	JMP      pairs

last:
	CMPQ     AX, CX
	JGE      done
	MOVSD    (DI)(AX*8), X0
	CVTSS2SD (R8)(AX*4), X1
	MULSD    X4, X1
	ADDSD    X1, X0
	CVTSS2SD (R9)(AX*4), X1
	MULSD    X5, X1
	ADDSD    X1, X0
	CVTSS2SD (R10)(AX*4), X1
	MULSD    X6, X1
	ADDSD    X1, X0
	CVTSS2SD (R11)(AX*4), X1
	MULSD    X7, X1
	ADDSD    X1, X0
	MOVSD    X0, (DI)(AX*8)

done:
	RET

// func addRows4AVX(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)
//
// Four labels at a time (AVX), then as addRows4SSE2 for the last ones.
TEXT ·addRows4AVX(SB), NOSPLIT, $0-152
	MOVQ         dec_base+0(FP), DI
	MOVQ         dec_len+8(FP), CX
	MOVQ         w0_base+24(FP), R8
	MOVQ         w1_base+48(FP), R9
	MOVQ         w2_base+72(FP), R10
	MOVQ         w3_base+96(FP), R11
	VBROADCASTSD v0+120(FP), Y4
	VBROADCASTSD v1+128(FP), Y5
	VBROADCASTSD v2+136(FP), Y6
	VBROADCASTSD v3+144(FP), Y7
	XORQ         AX, AX
	MOVQ         CX, DX
	ANDQ         $-4, DX // labels in fours

fours:
	CMPQ      AX, DX
	JGE       rest
	VMOVUPD   (DI)(AX*8), Y0
	VCVTPS2PD (R8)(AX*4), Y1
	VMULPD    Y4, Y1, Y1
	VADDPD    Y1, Y0, Y0
	VCVTPS2PD (R9)(AX*4), Y1
	VMULPD    Y5, Y1, Y1
	VADDPD    Y1, Y0, Y0
	VCVTPS2PD (R10)(AX*4), Y1
	VMULPD    Y6, Y1, Y1
	VADDPD    Y1, Y0, Y0
	VCVTPS2PD (R11)(AX*4), Y1
	VMULPD    Y7, Y1, Y1
	VADDPD    Y1, Y0, Y0
	VMOVUPD   Y0, (DI)(AX*8)
	ADDQ      $4, AX
	JMP       fours

rest:
	VZEROUPPER
	MOVSD    v0+120(FP), X4
	MOVSD    v1+128(FP), X5
	MOVSD    v2+136(FP), X6
	MOVSD    v3+144(FP), X7

one:
	CMPQ     AX, CX
	JGE      end
	MOVSD    (DI)(AX*8), X0
	CVTSS2SD (R8)(AX*4), X1
	MULSD    X4, X1
	ADDSD    X1, X0
	CVTSS2SD (R9)(AX*4), X1
	MULSD    X5, X1
	ADDSD    X1, X0
	CVTSS2SD (R10)(AX*4), X1
	MULSD    X6, X1
	ADDSD    X1, X0
	CVTSS2SD (R11)(AX*4), X1
	MULSD    X7, X1
	ADDSD    X1, X0
	MOVSD    X0, (DI)(AX*8)
	INCQ     AX
	JMP      one

end:
	RET

// func prefetchRows4(w0, w1, w2, w3 *float32, n int)
//
// Asks for the cache lines of four rows of n weights ahead of their use,
// the last line of a row that does not start on a line included.
// PREFETCHT0 never faults, so it may run past the end of the weights.
TEXT ·prefetchRows4(SB), NOSPLIT, $0-40
	MOVQ       w0+0(FP), R8
	MOVQ       w1+8(FP), R9
	MOVQ       w2+16(FP), R10
	MOVQ       w3+24(FP), R11
	MOVQ       n+32(FP), CX
	SHLQ       $2, CX
	ADDQ       $63, CX // bytes, and the line the last of them may spill into
	XORQ       AX, AX

lines:
	CMPQ       AX, CX
	JGE        fetched
	PREFETCHT0 (R8)(AX*1)
	PREFETCHT0 (R9)(AX*1)
	PREFETCHT0 (R10)(AX*1)
	PREFETCHT0 (R11)(AX*1)
	ADDQ       $64, AX
	JMP        lines

fetched:
	RET
