/* Cookbook recipe 1: the auxiliary module's interface. */
#ifndef RECIPE01_AUXILIARY_H
#define RECIPE01_AUXILIARY_H

typedef struct auxiliary auxiliary;

auxiliary *auxiliary_new(void);
void auxiliary_do_something(auxiliary *a);
void auxiliary_free(auxiliary *a);
void auxiliary_some_function(void);

#endif
