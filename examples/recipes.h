/* The cookbook recipes as functions: each writes its files into `outdir`
 * and returns 0 on success. Built alone (SAWMILL_RECIPE_MAIN) each is also a
 * program; cookbook_tour runs them all, each in a child process. */
#ifndef SAWMILL_RECIPES_H
#define SAWMILL_RECIPES_H

int recipe01_run(const char *outdir);
int recipe02_run(const char *outdir);
int recipe03_run(const char *outdir);
int recipe04_run(const char *outdir);
int recipe05_run(const char *outdir);
int recipe06_run(const char *outdir);
int recipe07_run(const char *outdir);
int recipe07_2_run(const char *outdir);
int recipe08_run(const char *outdir);
int recipe09_run(const char *outdir);
int recipe10_run(const char *outdir);
int recipe11_run(const char *outdir);
int recipe12_run(const char *outdir);
int recipe13_run(const char *outdir);
int recipe14_run(const char *outdir);
int recipe15_run(const char *outdir);
int recipe16_run(const char *outdir);
int recipe17_run(const char *outdir);
int recipe18_run(const char *outdir);
int recipe19_run(const char *outdir);

/* Whether `name` is an executable file in a directory of $PATH. */
int recipes_have_program(const char *name);

#endif
