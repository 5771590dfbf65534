//go:build !purego

#include "textflag.h"

// func addRows4(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)
//
// Two labels at a time (SSE2, every amd64 has it): for each, the same
// multiplications and additions, in the same order and with the same
// rounding, as the loop of addRows4Go.
TEXT ·addRows4(SB), NOSPLIT, $0-152
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
