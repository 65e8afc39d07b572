/* Cookbook recipe 16: speaking logging messages. A CommandHandler runs
 * espeak-ng for each record (slowly, in a female English voice, as the
 * recipe asks), waiting for it as the recipe does; here each message is
 * written as a WAV file in the given directory (speech-1.wav, speech-2.wav)
 * instead of to the sound card. With --queue a QueueHandler stands in
 * front, so the logging call returns while espeak-ng runs; the time each
 * call took, and the time until both WAV files were written, are printed on
 * stdout. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sawmill.h"
#include "recipes.h"

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int run(const char *outdir, int queued) {
    char path[4096];
    const char *argv[] = {"espeak-ng", "-s150", "-ven+f3", "-w", "{path}", "{message}"};
    sawmill_handler *speaker, *front;
    sawmill_logger *root = sawmill_get_logger(NULL);
    long long t0, t1, t2, t3;

    snprintf(path, sizeof path, "%s/speech-{seq}.wav", outdir);
    speaker = sawmill_command_handler_new(argv, 6, path, false, true, 30000, 1);
    if (speaker == NULL) {
        fprintf(stderr, "CommandHandler: %s\n", sawmill_last_error());
        return 1;
    }
    front = speaker;
    if (queued) {
        front = sawmill_queue_handler_new(&speaker, 1, false, 0, SAWMILL_OVERFLOW_BLOCK, 0);
        sawmill_handler_release(speaker);
    }
    sawmill_logger_add_handler(root, front);
    /* The default formatter just returns the message. */
    sawmill_logger_set_level(root, SAWMILL_LEVEL_DEBUG);

    t0 = now_ns();
    SAWMILL_INFO(root, "Hello");
    t1 = now_ns();
    SAWMILL_DEBUG(root, "Goodbye");
    t2 = now_ns();
    sawmill_handler_flush(front);
    t3 = now_ns();
    if (queued) {
        printf("call %lld ns\ncall %lld ns\nspeech %lld ns\n", t1 - t0, t2 - t1, t3 - t2);
    }
    if (sawmill_command_handler_failed_count(speaker) != 0 ||
        sawmill_handler_error_count(front) != 0) {
        fprintf(stderr, "espeak-ng failed\n");
        sawmill_handler_release(front);
        return 1;
    }
    sawmill_handler_release(front);
    return 0;
}

int recipe16_run(const char *outdir) {
    if (!recipes_have_program("espeak-ng")) {
        printf("espeak-ng is not installed: recipe 16 skipped (scripts/setup.sh installs it)\n");
        return 0;
    }
    return run(outdir, 0);
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    int queued = argc > 2 && strcmp(argv[2], "--queue") == 0;
    return run(argc > 1 ? argv[1] : ".", queued);
}
#endif
