/* The driver of bench/schemes: calls each way's function in a loop,
 * rounds interleaved, and prints the median and minimum time per call. */
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
extern __thread long delta; extern __thread long* table;
extern char site[], mirror[];
int work_none(int), work_sancov(int), work_lock(int), work_le_inline(int), work_le_stub(int), work_ie_stub(int), work_ie_inline(int), work_ieown_inline(int), work_plain(int);
static long tab[16];
typedef int (*fn)(int);
#define LOOP(f) __attribute__((noinline)) int loop_##f(long n){ int x=0; for(long i=0;i<n;i++) x=f(x); return x;}
LOOP(work_none) LOOP(work_sancov) LOOP(work_lock) LOOP(work_le_inline) LOOP(work_le_stub) LOOP(work_ie_stub) LOOP(work_ie_inline) LOOP(work_ieown_inline) LOOP(work_plain)
typedef int (*lf)(long);
static double now(){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec*1e-9;}
int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){
  delta = mirror - site; tab[1] = mirror - site; table = tab;
  lf fs[]={loop_work_none,loop_work_sancov,loop_work_plain,loop_work_lock,loop_work_le_inline,loop_work_ieown_inline,loop_work_ie_inline,loop_work_le_stub,loop_work_ie_stub};
  const char* names[]={"none","sancov","plain","lock","le_inline","ieown_inline","ie_inline","le_stub","ie_stub"};
  enum{W=9,R=15}; double t[W][R];
  long n=50000000;
  for(int r=0;r<R;r++) for(int i=0;i<W;i++){ double s=now(); fs[i](n); t[i][r]=(now()-s)/n*1e9;}
  for(int i=0;i<W;i++){ qsort(t[i],R,sizeof(double),cmp); printf("%-13s median %.3f min %.3f ns\n",names[i],t[i][R/2],t[i][0]);}
}
