/* Cookbook recipe 1, the auxiliary module: it only creates child loggers of
 * spam_application; their records reach the handlers configured in main. */
#include <stdlib.h>

#include "sawmill.h"
#include "recipe01_auxiliary.h"

struct auxiliary {
    sawmill_logger *logger;
};

auxiliary *auxiliary_new(void) {
    auxiliary *a = (auxiliary *)malloc(sizeof *a);
    if (a == NULL) {
        return NULL;
    }
    a->logger = sawmill_get_logger("spam_application.auxiliary.Auxiliary");
    SAWMILL_INFO(a->logger, "creating an instance of Auxiliary");
    return a;
}

void auxiliary_do_something(auxiliary *a) {
    SAWMILL_INFO(a->logger, "doing something");
    SAWMILL_INFO(a->logger, "done doing something");
}

void auxiliary_free(auxiliary *a) {
    free(a);
}

void auxiliary_some_function(void) {
    sawmill_logger *module_logger = sawmill_get_logger("spam_application.auxiliary");
    /* The code prints double quotes; the cookbook's sample output shows
     * single quotes. We print what the code says, as CPython 3 does. */
    SAWMILL_INFO(module_logger, "received a call to \"some_function\"");
}
