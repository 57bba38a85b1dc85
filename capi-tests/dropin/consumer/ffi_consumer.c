/* The same program in liburing's FFI form: with LIBURING_FFI defined before
 * the header, every helper is an extern function found in liburing-ffi.so. */
#define LIBURING_FFI 1
#include "uring_consumer.c"
