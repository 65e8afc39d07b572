/* The public header alone compiles as strict C99. */
#include "sawmill.h"

int main(void) {
    return SAWMILL_OK;
}
