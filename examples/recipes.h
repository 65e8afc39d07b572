/* The cookbook recipes as functions: each writes its files into `outdir`
 * and returns 0 on success. Built alone (SAWMILL_RECIPE_MAIN) each is also a
 * program; cookbook_tour runs them all. */
#ifndef SAWMILL_RECIPES_H
#define SAWMILL_RECIPES_H

int recipe01_run(const char *outdir);
int recipe02_run(const char *outdir);
int recipe03_run(const char *outdir);
int recipe04_run(const char *outdir);
int recipe09_run(const char *outdir);
int recipe16_run(const char *outdir);
int recipe17_run(const char *outdir);

#endif
