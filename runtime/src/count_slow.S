/* __tally_count_slow (tally/detail/site.h): the way out of the counting
 * code when a thread has no mirror of a module's counters yet.  Entered by
 * a call, with the layout counter in %r10.  It preserves every register but
 * %r11 and the flags, vector and x87 state included, as LLVM's preserve_all
 * convention promises the caller: it saves what the C part may change, the
 * extended state with XSAVE (FXSAVE where the system has no XSAVE), and
 * calls __tally_count_slow_c(counter). */
	.text
	.globl	__tally_count_slow
	.type	__tally_count_slow, @function
	.p2align 4
__tally_count_slow:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	/* Bytes of XSAVE area, a multiple of 64; -512: FXSAVE; 0: not known yet. */
	movl	tally_save_size(%rip), %eax
	testl	%eax, %eax
	jnz	2f
	movl	$1, %eax
	cpuid
	movl	$-512, %edx
	btl	$27, %ecx		/* OSXSAVE */
	jnc	1f
	movl	$0xd, %eax
	xorl	%ecx, %ecx
	cpuid				/* %ebx: the area for the enabled features */
	leal	63(%rbx), %edx
	andl	$-64, %edx
1:	movl	%edx, tally_save_size(%rip)
	movl	%edx, %eax
2:	andq	$-64, %rsp
	testl	%eax, %eax
	js	3f
	subq	%rax, %rsp
	xorl	%ecx, %ecx		/* the XSAVE header must start zeroed */
	movq	%rcx, 512(%rsp)
	movq	%rcx, 520(%rsp)
	movq	%rcx, 528(%rsp)
	movq	%rcx, 536(%rsp)
	movq	%rcx, 544(%rsp)
	movq	%rcx, 552(%rsp)
	movq	%rcx, 560(%rsp)
	movq	%rcx, 568(%rsp)
	movl	$0xfff9ffff, %eax	/* all state but AMX tiles, as glibc saves it */
	movl	$-1, %edx
	xsave	(%rsp)
	movq	%r10, %rdi
	call	__tally_count_slow_c
	movl	$0xfff9ffff, %eax
	movl	$-1, %edx
	xrstor	(%rsp)
	jmp	4f
3:	subq	$512, %rsp
	fxsave	(%rsp)
	movq	%r10, %rdi
	call	__tally_count_slow_c
	fxrstor	(%rsp)
4:	leaq	-72(%rbp), %rsp
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	popq	%rbp
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size	__tally_count_slow, .-__tally_count_slow

	.bss
	.p2align 2
	.hidden	tally_save_size
	.type	tally_save_size, @object
tally_save_size:
	.zero	4
	.size	tally_save_size, 4

	.section .note.GNU-stack,"",@progbits
