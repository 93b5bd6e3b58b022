/* bench/schemes: the same small function (x * 3 + 1) with each way of
 * reaching a per-thread counter that docs/design.md compares, written out
 * as the code each way compiles to, so that only the counting differs.
 * The driver sets the thread's deltas up; bench/schemes/run runs it. */
	.text
# none
	.globl work_none
work_none:
	leal 1(%rdi,%rdi,2), %eax
	ret
# sancov-like
	.globl work_sancov
work_sancov:
	incb cnt8(%rip)
	leal 1(%rdi,%rdi,2), %eax
	ret
# lock
	.globl work_lock
work_lock:
	lock incq cnt64(%rip)
	leal 1(%rdi,%rdi,2), %eax
	ret
# inline LE
	.globl work_le_inline
work_le_inline:
	movq %fs:delta@tpoff, %r11
	testq %r11, %r11
	jz 9f
	leaq site(%rip), %r10
	incq (%r10,%r11)
9:	leal 1(%rdi,%rdi,2), %eax
	ret
# stub LE
	.globl work_le_stub
work_le_stub:
	pushq %rax
	leaq site(%rip), %r10
	call stub_le
	leal 1(%rdi,%rdi,2), %eax
	popq %rcx
	ret
stub_le:
	movq %fs:delta@tpoff, %r11
	testq %r11, %r11
	jz 1f
	incq (%r10,%r11)
1:	ret
# stub IE table
	.globl work_ie_stub
work_ie_stub:
	pushq %rax
	leaq site(%rip), %r10
	call stub_ie
	leal 1(%rdi,%rdi,2), %eax
	popq %rcx
	ret
stub_ie:
	movq table@gottpoff(%rip), %r11
	movq %fs:(%r11), %r11
	addq slot(%rip), %r11
	movq (%r11), %r11
	testq %r11, %r11
	jz 1f
	incq (%r10,%r11)
1:	ret
	.data
	.globl slot
slot: .quad 8
	.bss
	.p2align 6
cnt8: .zero 64
cnt64: .zero 64
	.globl site
site: .zero 64
	.globl mirror
mirror: .zero 64
	.section .tbss,"awT",@nobits
	.globl delta
	.p2align 3
delta: .zero 8
	.globl table
table: .zero 8
	.text
	.globl work_ie_inline
work_ie_inline:
	movq table@gottpoff(%rip), %r11
	movq %fs:(%r11), %r11
	addq slot(%rip), %r11
	movq (%r11), %r11
	testq %r11, %r11
	jz 9f
	leaq site(%rip), %r10
	incq (%r10,%r11)
9:	leal 1(%rdi,%rdi,2), %eax
	ret
	.globl work_ieown_inline
work_ieown_inline:
	movq delta@gottpoff(%rip), %r11
	movq %fs:(%r11), %r11
	testq %r11, %r11
	jz 9f
	leaq site(%rip), %r10
	incq (%r10,%r11)
9:	leal 1(%rdi,%rdi,2), %eax
	ret
	.globl work_plain
work_plain:
	incq cnt64(%rip)
	leal 1(%rdi,%rdi,2), %eax
	ret
	.section .note.GNU-stack,"",@progbits
