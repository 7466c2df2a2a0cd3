/*
 * What a page of fresh anonymous memory costs to bring in, three ways, on this machine: written
 * once (one fault), read then written (a fault mapping the zero page, then a copy-on-write fault,
 * as zero-filled data such as .bss is usually first touched), and populated ahead with
 * madvise(MADV_POPULATE_WRITE). Microseconds per page over 200 regions of 256 pages. Used to judge
 * whether prefaulting kaitori-cgi's .bss pays (docs/performance.md: it does not).
 *
 * Build and run: gcc -O2 -o page-fault-cost bench/tools/page-fault-cost.c && ./page-fault-cost
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(void){
  int pages=256, reps=200; double touch=0, pop=0, readwrite=0;
  for(int r=0;r<reps;r++){
    char*p=mmap(0,pages*4096,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
    double t=now(); for(int i=0;i<pages;i++) p[i*4096]=1; touch+=now()-t; munmap(p,pages*4096);
    p=mmap(0,pages*4096,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
    t=now(); volatile char s=0; for(int i=0;i<pages;i++) s+=p[i*4096]; for(int i=0;i<pages;i++) p[i*4096]=1; readwrite+=now()-t; munmap(p,pages*4096);
    p=mmap(0,pages*4096,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
    t=now(); if(madvise(p,pages*4096,MADV_POPULATE_WRITE)) {perror("madvise");return 1;} for(int i=0;i<pages;i++) p[i*4096]=1; pop+=now()-t; munmap(p,pages*4096);
  }
  printf("per page: write fault %.2f us, read+write fault %.2f us, populate %.2f us\n", touch/reps/pages*1e6, readwrite/reps/pages*1e6, pop/reps/pages*1e6);
}
